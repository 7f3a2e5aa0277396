package dev.jstomp.internal.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.Subscription;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.util.SerialLane;

/** A live subscription: its SUBSCRIBE headers (for resubscribing) and its own ordered delivery lane. */
final class ClientSubscription implements Subscription {

    private final DefaultStompClient client;
    private final String id;
    private final String destination;
    private final Map<String, String> headers;
    /** The ack header, read once: every delivered message carries it. */
    private final String ackMode;
    private final Consumer<StompMessage> callback;
    private final SerialLane lane;
    private final @Nullable StompObserver observer;
    private volatile boolean active = true;

    ClientSubscription(DefaultStompClient client, String id, String destination, Map<String, String> headers,
            Consumer<StompMessage> callback, SerialLane lane, @Nullable StompObserver observer) {
        this.client = client;
        this.id = id;
        this.destination = destination;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.ackMode = this.headers.getOrDefault("ack", "auto");
        this.callback = callback;
        this.lane = lane;
        this.observer = observer;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String destination() {
        return destination;
    }

    @Override
    public void unsubscribe() {
        client.unsubscribe(id);
    }

    @Override
    public void unsubscribe(Map<String, String> headers) {
        client.unsubscribe(id, headers);
    }

    String ackMode() {
        return ackMode;
    }

    /** The SUBSCRIBE frame, the same on every (re)subscription. */
    Frame subscribeFrame() {
        return new Frame("SUBSCRIBE", headers, new byte[0]);
    }

    /** Hands the message to this subscription's lane; on the connection's reader thread. */
    void deliver(InboundMessage message) {
        InboundBacklog backlog = message.connection().backlog();
        long weight = InboundBacklog.weight(message);
        message.countedIn(backlog, weight);
        Runnable delivery = () -> {
            try {
                if (active) {
                    if (observer == null) {
                        callback.accept(message);
                    } else {
                        observer.deliver(this, message, callback);
                    }
                }
            } finally {
                if (message.isHeld()) {
                    backlog.callbackReturned(weight); // the holder releases the bytes (ClientHooks.holdInBacklog)
                } else {
                    backlog.finished(weight);
                }
            }
        };
        if (message.connection().deferStart(lane)) {
            lane.enqueue(delivery); // the connection starts the lane after the last frame of this read
        } else {
            lane.execute(delivery);
        }
        backlog.queued(weight); // may pause reading, or hold this reader thread
    }

    void deactivate() {
        active = false;
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " -> " + destination + "]";
    }
}
