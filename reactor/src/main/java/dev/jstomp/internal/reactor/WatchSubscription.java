package dev.jstomp.internal.reactor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.Broker;
import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.internal.session.ClientHooks;
import reactor.core.publisher.Operators;

/**
 * One subscriber of a {@code watch} Flux: one STOMP subscription, made at the first {@code request(n)} (the
 * window is sized by it, see {@link DemandWindow}) and removed (UNSUBSCRIBE) on cancel. Messages arrive on
 * the subscription's callback lane, one at a time and in order, and wait here for demand; while they wait
 * they stay counted in the connection's inbound backlog ({@link ClientHooks#holdInBacklog}), so a subscriber
 * without demand makes the connection stop reading as a blocked callback does.
 *
 * <p>The jstomp subscription outlives reconnects. A client-ack message that waited here while its
 * connection was lost is dropped instead of emitted: its ACK can no longer be sent, and the broker
 * redelivers it on the new connection.
 */
final class WatchSubscription implements Subscription, Consumer<StompMessage>, ClientHooks.Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(WatchSubscription.class);
    private static final AtomicLongFieldUpdater<WatchSubscription> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(WatchSubscription.class, "requested");

    private record Waiting(StompMessage message, @Nullable Runnable release) {
    }

    private final Subscriber<? super StompMessage> actual;
    private final StompClient client;
    private final String destination;
    private final Map<String, String> headers;
    private final int limit;
    private final boolean clientAcks;
    private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean subscribing = new AtomicBoolean();
    private final AtomicLong droppedAfterCancel = new AtomicLong();

    private volatile long requested;
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile @Nullable Throwable error;
    private volatile int window;
    private volatile dev.jstomp.@Nullable Subscription stomp;
    private volatile @Nullable AutoCloseable observation;

    WatchSubscription(Subscriber<? super StompMessage> actual, StompClient client, String destination,
            Map<String, String> headers, int limit) {
        this.actual = actual;
        this.client = client;
        this.destination = destination;
        this.headers = Map.copyOf(headers);
        this.limit = limit;
        this.clientAcks = DemandWindow.clientAcks(headers);
    }

    // --- Reactive Streams ---

    @Override
    public void request(long n) {
        if (!Operators.validate(n)) {
            cancel();
            actual.onError(new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), got " + n));
            return;
        }
        Operators.addCap(REQUESTED, this, n);
        if (started.compareAndSet(false, true)) {
            start(n);
        }
        drain();
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        drain(); // clears what waits, then unsubscribes
    }

    // --- the jstomp side ---

    private void start(long firstRequest) {
        window = DemandWindow.window(firstRequest, limit);
        if (ClientHooks.closed(client)) {
            finish(null);
            return;
        }
        observation = ClientHooks.observe(client, this);
        if (client.state() == ConnectionState.CONNECTED || client.state() == ConnectionState.RECONNECTING) {
            subscribe();
        } // else: on the next CONNECTED (connected() below)
    }

    private void subscribe() {
        if (cancelled || done || stomp != null || !subscribing.compareAndSet(false, true)) {
            return;
        }
        StompFrame connected = ClientHooks.connectedFrame(client);
        Broker broker = connected == null ? null : DemandWindow.broker(connected.header("server"));
        Map<String, String> frameHeaders = new LinkedHashMap<>(DemandWindow.subscribeHeaders(headers, broker, window));
        CompletableFuture<StompFrame> receipt = null;
        try {
            if (connected != null && !frameHeaders.containsKey("receipt")) {
                // A refusal is an ERROR while SUBSCRIBE's receipt is awaited.
                String id = "watch-" + UUID.randomUUID();
                receipt = client.watchForReceipt(id);
                frameHeaders.put("receipt", id);
            }
            stomp = client.subscribe(destination, this, frameHeaders);
        } catch (StompConnectionException notNow) {
            subscribing.set(false); // lost meanwhile: made on the next CONNECTED
            log.debug("SUBSCRIBE to {} waits for the next connection: {}", destination, notNow.getMessage());
            return;
        } catch (RuntimeException e) {
            subscribing.set(false);
            finish(e);
            return;
        }
        if (cancelled) {
            stop();
        }
        if (receipt != null) {
            receipt.whenComplete((frame, failure) -> {
                if (failure instanceof java.util.concurrent.CompletionException wrapped && wrapped.getCause() != null) {
                    failure = wrapped.getCause();
                }
                if (failure instanceof StompErrorFrameException refused) {
                    finish(new StompErrorFrameException("The broker refused SUBSCRIBE to " + destination + ": "
                            + refused.getMessage(), refused.frame()));
                }
            });
        }
    }

    /** UNSUBSCRIBE (when made) and stop observing the client. */
    private void stop() {
        dev.jstomp.Subscription current = stomp;
        if (current != null) {
            try {
                current.unsubscribe();
            } catch (RuntimeException e) {
                log.debug("UNSUBSCRIBE from {} failed: {}", destination, e.toString());
            }
        }
        AutoCloseable observing = observation;
        if (observing != null) {
            try {
                observing.close();
            } catch (Exception e) {
                log.debug("Could not stop observing the client: {}", e.toString());
            }
        }
    }

    /** The subscription's callback (its lane: one at a time, in arrival order). */
    @Override
    public void accept(StompMessage message) {
        Runnable release = ClientHooks.holdInBacklog(message);
        if (cancelled || done) {
            if (release != null) {
                release.run();
            }
            if (!clientAcks) {
                droppedAfterCancel.incrementAndGet();
            }
            return;
        }
        queue.offer(new Waiting(message, release));
        drain();
    }

    @Override
    public void connected(StompFrame connectedFrame) {
        subscribe(); // a no-op once made: jstomp itself subscribes again after reconnects
    }

    @Override
    public void gaveUp(StompException failure) {
        finish(failure);
    }

    @Override
    public void closed() {
        finish(null);
    }

    /** Terminal: with an error at once; completion after what waits (and may still be emitted) is taken. */
    private void finish(@Nullable Throwable failure) {
        if (done) {
            return;
        }
        error = failure;
        done = true;
        stop();
        drain();
    }

    // --- emission ---

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            long wanted = requested;
            long emitted = 0;
            while (true) {
                if (cancelled) {
                    clear();
                    stop();
                    return;
                }
                boolean finished = done;
                Throwable failure = error;
                if (finished && failure != null) {
                    clear();
                    actual.onError(failure);
                    return;
                }
                Waiting next = queue.peek();
                if (next != null && clientAcks && ClientHooks.stale(next.message())) {
                    queue.poll(); // its connection is gone: the broker redelivers it
                    release(next);
                    continue;
                }
                if (next == null) {
                    if (finished) {
                        actual.onComplete();
                        return;
                    }
                    break;
                }
                if (emitted == wanted) {
                    break;
                }
                queue.poll();
                release(next);
                actual.onNext(next.message());
                emitted++;
            }
            if (emitted != 0 && wanted != Long.MAX_VALUE) {
                REQUESTED.addAndGet(this, -emitted);
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private static void release(Waiting waiting) {
        if (waiting.release() != null) {
            waiting.release().run();
        }
    }

    /**
     * Drops what waits: client-ack messages go back to the broker unacknowledged (Artemis and Classic requeue
     * an unsubscribed consumer's messages; RabbitMQ when the connection closes, as it refuses ACK and NACK
     * after UNSUBSCRIBE, and a NACK before it would only have them redelivered here); ack:auto ones are lost.
     */
    private void clear() {
        long lost = 0;
        for (Waiting waiting; (waiting = queue.poll()) != null; ) {
            release(waiting);
            lost++;
        }
        lost += droppedAfterCancel.getAndSet(0);
        if (lost > 0 && !clientAcks) {
            log.warn("{} ack:auto message(s) from {} were read but never requested when the Flux ended; the broker "
                    + "counts them delivered, so they are gone (use ack: client-individual to keep them in the broker)",
                    lost, destination);
        }
    }

    /** For tests: messages read and waiting for demand. */
    int waiting() {
        return queue.size();
    }
}
