package dev.jstomp.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.Headers;
import dev.jstomp.internal.util.SerialLane;

/**
 * The client's subscriptions, which outlive connections: made, ended, routed to and made again on each new
 * connection. The map is concurrent (no lock); the connection state it checks is the life cycle's, read
 * under its {@code lock}.
 */
final class SubscriptionRegistry {

    /** The client's log category, the one its users configure. */
    private static final Logger log = LoggerFactory.getLogger(DefaultStompClient.class);
    private static final byte[] EMPTY = new byte[0];

    private final DefaultStompClient client;
    private final ConnectionLifecycle lifecycle;
    private final Settings settings;
    private final Map<String, ClientSubscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong subscriptionIds = new AtomicLong();

    SubscriptionRegistry(DefaultStompClient client, ConnectionLifecycle lifecycle) {
        this.client = client;
        this.lifecycle = lifecycle;
        this.settings = lifecycle.settings;
    }

    Subscription subscribe(String destination, Consumer<StompMessage> callback, Map<String, String> headers) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(headers, "headers");
        Headers.validate("SUBSCRIBE", headers);
        StompConnection current;
        synchronized (lifecycle.lock) {
            // While reconnecting the subscription is registered and made on the next CONNECTED.
            current = lifecycle.state == ConnectionState.RECONNECTING ? null : lifecycle.requireConnection("SUBSCRIBE");
        }
        Map<String, String> frameHeaders = new LinkedHashMap<>();
        String id = headers.get("id");
        while (id == null || (headers.get("id") == null && subscriptions.containsKey(id))) {
            id = "sub-" + subscriptionIds.incrementAndGet(); // skipping ids the caller chose
        }
        frameHeaders.put("id", id);
        frameHeaders.put("destination", destination);
        headers.forEach(frameHeaders::putIfAbsent);
        String subscriptionId = frameHeaders.get("id");
        ClientSubscription subscription = new ClientSubscription(client, subscriptionId, destination, frameHeaders,
                callback, new SerialLane(Objects.requireNonNull(lifecycle.callbacks), "jstomp subscription " + subscriptionId),
                lifecycle.observer);
        if (subscriptions.putIfAbsent(subscriptionId, subscription) != null) {
            throw new IllegalArgumentException("Subscription id '" + subscriptionId + "' is already in use");
        }
        try {
            if (current != null) {
                current.send(subscription.subscribeFrame());
            }
        } catch (RuntimeException e) {
            subscriptions.remove(subscriptionId, subscription);
            throw e;
        }
        return subscription;
    }

    void unsubscribe(String id, Map<String, String> headers) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(headers, "headers");
        Headers.validate("UNSUBSCRIBE", headers);
        ClientSubscription subscription = subscriptions.remove(id);
        if (subscription == null) {
            return;
        }
        subscription.deactivate();
        StompConnection current = lifecycle.currentConnection();
        if (current != null && current.isConnected()) {
            Map<String, String> frameHeaders = new LinkedHashMap<>();
            frameHeaders.put("id", id);
            headers.forEach(frameHeaders::putIfAbsent);
            current.send(new Frame("UNSUBSCRIBE", frameHeaders, EMPTY));
        }
    }

    /** A MESSAGE to its subscription, or to the unhandled-message handler (or the log) when it has none. */
    void deliver(StompConnection from, Frame frame) {
        String id = frame.header("subscription");
        ClientSubscription subscription = id == null ? null : subscriptions.get(id);
        if (subscription == null) {
            Consumer<StompMessage> handler = settings.unhandledHandler();
            if (handler == null) {
                log.debug("Ignoring MESSAGE for unknown subscription '{}' from {}", id, from.describe());
            } else {
                // Not "auto": such a reply may well need acknowledging (its ack header says so on 1.2).
                InboundMessage message = new InboundMessage(frame, from, "client");
                lifecycle.onClientLane(() -> handler.accept(message));
            }
            return;
        }
        subscription.deliver(new InboundMessage(frame, from, subscription.ackMode()));
    }

    /** Under lock, on CONNECTED: makes every subscription again on the new connection, without waiting for room. */
    void resubscribe(StompConnection opened) {
        for (ClientSubscription subscription : subscriptions.values()) {
            opened.sendNow(subscription.subscribeFrame());
        }
    }

    /** At close: no subscription delivers any more. */
    void deactivateAll() {
        subscriptions.values().forEach(ClientSubscription::deactivate);
        subscriptions.clear();
    }
}
