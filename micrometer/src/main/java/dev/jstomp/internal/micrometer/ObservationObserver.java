package dev.jstomp.internal.micrometer;

import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.Subscription;
import dev.jstomp.micrometer.DefaultStompReceiverObservationConvention;
import dev.jstomp.micrometer.DefaultStompSenderObservationConvention;
import dev.jstomp.micrometer.StompReceiverContext;
import dev.jstomp.micrometer.StompReceiverObservationConvention;
import dev.jstomp.micrometer.StompSenderContext;
import dev.jstomp.micrometer.StompSenderObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The {@link StompObserver} behind {@code StompObservation}: a producer observation per SEND, started on the
 * sender's thread (so its parent is the sender's current observation or span) and stopped when the SEND is
 * queued or its RECEIPT comes; a consumer observation in scope around each callback.
 */
public final class ObservationObserver implements StompObserver {

    private final ObservationRegistry registry;
    private final @Nullable StompSenderObservationConvention senderConvention;
    private final @Nullable StompReceiverObservationConvention receiverConvention;
    private volatile String broker = "unknown";

    /**
     * @param registry the observation registry
     * @param senderConvention the user's convention for SENDs, or null for the default
     * @param receiverConvention the user's convention for deliveries, or null for the default
     */
    public ObservationObserver(ObservationRegistry registry, @Nullable StompSenderObservationConvention senderConvention,
            @Nullable StompReceiverObservationConvention receiverConvention) {
        this.registry = registry;
        this.senderConvention = senderConvention;
        this.receiverConvention = receiverConvention;
    }

    @Override
    public void attached(Stats stats) {
        broker = BrokerTags.of(stats.address()).stream()
                .filter(tag -> tag.getKey().equals("broker")).findFirst().map(tag -> tag.getValue()).orElse("unknown");
    }

    @Override
    public @Nullable Sending sending(StompFrame send, Map<String, String> addHeaders) {
        // The context is made by the supplier, so a registry that observes nothing allocates none.
        Observation observation = Observation.createNotStarted(senderConvention,
                DefaultStompSenderObservationConvention.INSTANCE,
                () -> new StompSenderContext(send, addHeaders, broker), registry).start();
        if (observation.isNoop()) {
            return null;
        }
        return failure -> {
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        };
    }

    @Override
    public void deliver(Subscription subscription, StompMessage message, Consumer<StompMessage> callback) {
        Observation.createNotStarted(receiverConvention, DefaultStompReceiverObservationConvention.INSTANCE,
                () -> new StompReceiverContext(message, subscription, broker), registry)
                .observe(() -> callback.accept(message));
    }
}
