package dev.jstomp.reactor;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.internal.reactor.DemandWindow;
import dev.jstomp.internal.reactor.Watches;
import dev.jstomp.internal.session.ClientHooks;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * Project Reactor API over a {@link StompClient}, in the manner of rx-stomp's {@code watch()}: a
 * {@link Flux} per subscription whose demand reaches the broker.
 *
 * <pre>{@code
 * ReactiveStomp rx = ReactiveStomp.from(client);
 * rx.connect(Map.of("login", "guest", "passcode", "guest"))
 *   .thenMany(rx.watch("/queue/orders", Map.of("ack", "client-individual")))
 *   .concatMap(ReactiveStomp.ackAfter(message -> process(message)))   // acks once process(...) completes
 *   .subscribe();
 * }</pre>
 *
 * <p><b>Demand.</b> {@code watch} sends SUBSCRIBE at the subscriber's first {@code request(n)} and sizes the
 * broker's window by it: {@code window = min(n, prefetchLimit)} messages (default {@value #DEFAULT_PREFETCH_LIMIT}).
 * With {@code ack: client} or {@code client-individual} the broker never has more than the window
 * unacknowledged at the client, so at most the window is read and not yet requested; the rest stays in the
 * broker. The window goes out as RabbitMQ's {@code prefetch-count}, ActiveMQ Classic's
 * {@code activemq.prefetchSize}, or Artemis's byte window {@code consumer-window-size}: 1 byte for a window
 * of 1 (one message at a time), else 4,096 bytes per message of window. Artemis counts each message's body
 * plus about 250 bytes and sends while the window has room, so there the bound is in bytes (128 KiB at the
 * default cap): messages of up to about 3.8 KiB come at least a window's worth at a time, smaller ones more
 * (1 KiB bodies: about 3 times the window), larger ones fewer.
 * A window header of your own is kept. With every broker and ack mode, messages waiting for demand count in
 * the connection's 8 MiB inbound mark, past which the connection stops reading. A cancelled Flux's
 * unacknowledged messages go back to the queue: on Artemis and Classic at the UNSUBSCRIBE, on RabbitMQ only
 * when the connection closes (it refuses ACK and NACK after UNSUBSCRIBE, and holds them until then).
 * Acknowledge as you go
 * ({@link StompMessage#ack()}, or {@link #ackAfter}): a subscriber that requests more only after acknowledging
 * is fine, one that waits for more messages than the window before acknowledging waits forever.
 *
 * <p><b>{@code ack: auto}.</b> No broker has a window for it: what is promised is that messages read and not
 * requested stay under the connection's inbound mark (8 MiB of bodies plus 512 bytes each), after which the
 * connection, and so every subscription on it, stops reading until the subscriber catches up. The broker
 * counts a message delivered once it has sent it, so messages read but not requested when the Flux is
 * cancelled are lost (logged at WARN).
 *
 * <p><b>Life.</b> A {@code watch} Flux lives across reconnects (jstomp subscribes again); a client-ack message
 * that waited for demand while its connection was lost is dropped, since the broker redelivers it. The Flux
 * completes when the client is closed, and fails only when the connection ends for good (reconnect off or
 * given up: the {@link dev.jstomp.StompException} of the last failure) or the broker answers the first
 * SUBSCRIBE with an ERROR ({@link dev.jstomp.StompErrorFrameException}).
 * Each subscriber of one {@code watch} Flux gets its own STOMP subscription; share one with Reactor's
 * operators ({@code publish()}, {@code share()}).
 *
 * <p>Signals arrive on the client's callback threads, in order per subscription.
 */
public final class ReactiveStomp {

    /** The default cap on the broker's window, in messages. */
    public static final int DEFAULT_PREFETCH_LIMIT = 32;

    private static final Logger log = LoggerFactory.getLogger(ReactiveStomp.class);

    private final StompClient client;
    private final int prefetchLimit;

    private ReactiveStomp(StompClient client, int prefetchLimit) {
        this.client = client;
        this.prefetchLimit = prefetchLimit;
    }

    /**
     * The reactive API of {@code client}, made by {@link dev.jstomp.Stomp}. It adds no listener of its own
     * to the client ({@code onStateChange} stays yours).
     *
     * @throws IllegalArgumentException when {@code client} is not one {@link dev.jstomp.Stomp} made
     */
    public static ReactiveStomp from(StompClient client) {
        Objects.requireNonNull(client, "client");
        if (!ClientHooks.supports(client)) {
            throw new IllegalArgumentException("ReactiveStomp needs a client made by Stomp.client(...), "
                    + "Stomp.overTCP(...) or Stomp.over(...), not " + client.getClass().getName());
        }
        return new ReactiveStomp(client, DEFAULT_PREFETCH_LIMIT);
    }

    /**
     * The same API with another cap on the broker's window: the most messages read ahead of demand.
     *
     * @param messages at least 1
     */
    public ReactiveStomp prefetchLimit(int messages) {
        DemandWindow.window(1, messages); // validates
        return new ReactiveStomp(client, messages);
    }

    /** The client underneath. */
    public StompClient client() {
        return client;
    }

    /** Connects when subscribed to; the CONNECTED frame, or the failure {@code connectAsync} reports. */
    public Mono<StompFrame> connect(Map<String, String> headers) {
        Objects.requireNonNull(headers, "headers");
        return Mono.fromFuture(() -> client.connectAsync(headers), true);
    }

    /** {@link #connect(Map)} with a login and passcode. */
    public Mono<StompFrame> connect(String login, String passcode) {
        return connect(Map.of("login", login, "passcode", passcode));
    }

    /** {@link #watch(String, Map)} with {@code ack: auto}. */
    public Flux<StompMessage> watch(String destination) {
        return watch(destination, Map.of());
    }

    /**
     * A cold Flux of the destination's messages: each subscriber's first request sends SUBSCRIBE with these
     * headers (and the broker's window, see the class comment), cancelling sends UNSUBSCRIBE. It waits for
     * the client to be connected if it is not yet.
     *
     * @param headers SUBSCRIBE headers: {@code ack}, {@code id} (then one subscriber at a time), broker extensions
     */
    public Flux<StompMessage> watch(String destination, Map<String, String> headers) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(headers, "headers");
        return Watches.watch(client, destination, headers, prefetchLimit);
    }

    /** Sends when subscribed to; completes with the broker's RECEIPT ({@link StompClient#sendWithReceipt}). */
    public Mono<StompFrame> send(String destination, Map<String, String> headers, String body) {
        Objects.requireNonNull(body, "body");
        return Mono.fromFuture(() -> client.sendWithReceipt(destination, headers, body), true);
    }

    /** As {@link #send(String, Map, String)} with a binary body. */
    public Mono<StompFrame> send(String destination, Map<String, String> headers, byte[] body) {
        Objects.requireNonNull(body, "body");
        return Mono.fromFuture(() -> client.sendWithReceipt(destination, headers, body), true);
    }

    /**
     * The connection's state now, then every change; completes when the client is closed. A slow subscriber
     * gets the latest state.
     */
    public Flux<ConnectionState> states() {
        return Flux.<ConnectionState>create(sink -> {
            if (ClientHooks.closed(client)) {
                sink.next(client.state());
                sink.complete();
                return;
            }
            AutoCloseable observing = ClientHooks.observe(client, new ClientHooks.Lifecycle() {
                @Override
                public void state(ConnectionState state) {
                    sink.next(state);
                }

                @Override
                public void closed() {
                    sink.next(ConnectionState.DISCONNECTED);
                    sink.complete();
                }
            });
            sink.onDispose(() -> {
                try {
                    observing.close();
                } catch (Exception e) {
                    log.debug("Could not stop observing the client: {}", e.toString());
                }
            });
            sink.next(client.state());
        }, FluxSink.OverflowStrategy.LATEST).distinctUntilChanged();
    }

    /**
     * For {@code concatMap}: runs {@code handler} on the message, acknowledges the message once the
     * handler's publisher completes and emits it; when the publisher fails, NACKs it and passes the error on.
     * A message whose connection was lost meanwhile is not acknowledged (the broker redelivers it) and not
     * emitted.
     *
     * <pre>{@code
     * rx.watch("/queue/jobs", Map.of("ack", "client-individual"))
     *   .concatMap(ReactiveStomp.ackAfter(job -> Mono.fromRunnable(() -> work(job))))
     *   .subscribe();
     * }</pre>
     */
    public static Function<StompMessage, Mono<StompMessage>> ackAfter(
            Function<? super StompMessage, ? extends Publisher<?>> handler) {
        Objects.requireNonNull(handler, "handler");
        return message -> Flux.from(handler.apply(message))
                .then()
                .doOnError(failure -> acknowledge(message, false))
                .then(Mono.fromCallable(() -> acknowledge(message, true) ? message : null));
    }

    private static boolean acknowledge(StompMessage message, boolean ack) {
        try {
            if (ack) {
                message.ack();
            } else {
                message.nack();
            }
            return true;
        } catch (StompConnectionException lost) {
            log.debug("Not {}ing a message whose connection has closed; the broker redelivers it: {}",
                    ack ? "ACK" : "NACK", lost.getMessage());
            return false;
        }
    }
}
