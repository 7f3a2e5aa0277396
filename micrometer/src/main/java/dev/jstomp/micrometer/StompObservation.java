package dev.jstomp.micrometer;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompClient;
import dev.jstomp.internal.micrometer.ObservationObserver;
import io.micrometer.observation.ObservationRegistry;

/**
 * Micrometer Observations for a {@link StompClient}: one per SEND (a producer span, whose W3C
 * {@code traceparent} and {@code tracestate} the tracer writes into the frame's headers) and one around each
 * MESSAGE's callback (a consumer span whose parent is read from those headers, so a trace follows a message
 * through the broker). Everything the callback does (a {@code @StompListener} method, a {@code StompJson}
 * subscriber, its logging) runs inside the consumer observation. Call it before {@code connect}:
 *
 * <pre>{@code
 * StompObservation.instrument(client, observationRegistry);
 * }</pre>
 *
 * The registry needs a tracing handler for spans: with Micrometer Tracing,
 * {@code PropagatingSenderTracingObservationHandler} and {@code PropagatingReceiverTracingObservationHandler}
 * over a W3C propagator (Spring Boot registers them). With {@link ObservationRegistry#NOOP} nothing is
 * registered on the client, so it costs nothing.
 */
public final class StompObservation {

    private StompObservation() {
    }

    /**
     * Observes the client's sends and deliveries with the default conventions.
     *
     * @param client a client that is not connected yet
     * @param registry the observation registry
     * @throws IllegalStateException when the client is connected or connecting
     */
    public static void instrument(StompClient client, ObservationRegistry registry) {
        instrument(client, registry, null, null);
    }

    /**
     * Observes the client's sends and deliveries, named and tagged by the given conventions.
     *
     * @param client a client that is not connected yet
     * @param registry the observation registry
     * @param senderConvention replaces {@link DefaultStompSenderObservationConvention}; {@code null} for the default
     * @param receiverConvention replaces {@link DefaultStompReceiverObservationConvention}; {@code null} for the default
     * @throws IllegalStateException when the client is connected or connecting
     */
    public static void instrument(StompClient client, ObservationRegistry registry,
            @Nullable StompSenderObservationConvention senderConvention,
            @Nullable StompReceiverObservationConvention receiverConvention) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(registry, "registry");
        if (registry == ObservationRegistry.NOOP) {
            return;
        }
        client.observe(new ObservationObserver(registry, senderConvention, receiverConvention));
    }
}
