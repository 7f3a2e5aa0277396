package dev.jstomp.spring.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.StompClient;
import dev.jstomp.StompException;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import dev.jstomp.spring.StompListenerErrorHandler;
import dev.jstomp.spring.StompListenerFailure;
import dev.jstomp.spring.StompListeners;

/**
 * The listeners and their subscriptions. A started listener subscribes once the client has connected for
 * the first time (client-core subscribes it again after every reconnect); stopping unsubscribes.
 */
public final class ListenerRegistry implements StompListeners {

    private static final Logger log = LoggerFactory.getLogger(ListenerRegistry.class);

    private final StompClient client;
    private final StompListenerErrorHandler errorHandler;
    private final List<ListenerFailureRecorder> failureRecorders;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Guarded by this: whether the client has connected, so subscribing can be done now. */
    private boolean connected;

    private static final class Entry {
        final ListenerEndpoint endpoint;
        final List<Subscription> subscriptions = new ArrayList<>();
        boolean running;

        Entry(ListenerEndpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    public ListenerRegistry(StompClient client, StompListenerErrorHandler errorHandler,
            List<ListenerFailureRecorder> failureRecorders) {
        this.client = client;
        this.errorHandler = errorHandler;
        this.failureRecorders = List.copyOf(failureRecorders);
    }

    synchronized void register(ListenerEndpoint endpoint) {
        if (entries.putIfAbsent(endpoint.id(), new Entry(endpoint)) != null) {
            throw new IllegalStateException("Two @StompListener methods have the id '" + endpoint.id()
                    + "'; give one another id = \"...\"");
        }
    }

    @Override
    public synchronized Set<String> ids() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(entries.keySet()));
    }

    @Override
    public synchronized void start(String id) {
        Entry entry = entry(id);
        entry.running = true;
        if (connected) {
            subscribe(entry);
        }
    }

    @Override
    public synchronized void stop(String id) {
        Entry entry = entry(id);
        entry.running = false;
        unsubscribe(entry);
    }

    @Override
    public synchronized boolean isRunning(String id) {
        return entry(id).running;
    }

    /** The client connected for the first time: started listeners subscribe. */
    synchronized void connected() {
        connected = true;
        for (Entry entry : entries.values()) {
            if (entry.running) {
                subscribe(entry);
            }
        }
    }

    /** At start-up: marks the auto-startup listeners started (they subscribe once connected). */
    synchronized void startAutoStartup() {
        for (Entry entry : entries.values()) {
            entry.running |= entry.endpoint.autoStartup();
        }
        if (connected) {
            connected();
        }
    }

    /** At shut-down, before DISCONNECT: every listener unsubscribes; a later connect does not bring them back. */
    synchronized void stopAll() {
        connected = false;
        for (Entry entry : entries.values()) {
            unsubscribe(entry);
            entry.running = false;
        }
    }

    private Entry entry(String id) {
        Entry entry = entries.get(id);
        if (entry == null) {
            throw new IllegalArgumentException("No @StompListener has the id '" + id + "'; the ids are " + entries.keySet());
        }
        return entry;
    }

    private void subscribe(Entry entry) {
        if (!entry.subscriptions.isEmpty()) {
            return;
        }
        ListenerEndpoint endpoint = entry.endpoint;
        try {
            for (int i = 0; i < endpoint.concurrency(); i++) {
                entry.subscriptions.add(client.subscribe(endpoint.destination(), message -> deliver(endpoint, message),
                        endpoint.headers()));
            }
            log.debug("@StompListener {} subscribed to {} ({}x)", endpoint.id(), endpoint.destination(),
                    endpoint.concurrency());
        } catch (StompException | IllegalArgumentException e) {
            log.error("@StompListener {} could not subscribe to {}: {}", endpoint.id(), endpoint.destination(),
                    e.getMessage());
        }
    }

    private void unsubscribe(Entry entry) {
        for (Subscription subscription : entry.subscriptions) {
            try {
                subscription.unsubscribe();
            } catch (StompException e) {
                log.debug("Unsubscribing {} from {}: {}", entry.endpoint.id(), entry.endpoint.destination(), e.getMessage());
            }
        }
        entry.subscriptions.clear();
    }

    private void deliver(ListenerEndpoint endpoint, StompMessage message) {
        boolean clientAck = endpoint.clientAck();
        try {
            endpoint.invoker().invoke(message);
        } catch (Throwable failure) {
            if (failure instanceof Error error && !(failure instanceof AssertionError)) {
                throw error;
            }
            // Before the handler, while the consumer observation is still current on this thread.
            for (ListenerFailureRecorder recorder : failureRecorders) {
                try {
                    recorder.failed(failure);
                } catch (RuntimeException e) {
                    log.debug("Recording the failure of {} failed: {}", endpoint.id(), e.toString());
                }
            }
            try {
                errorHandler.handle(new StompListenerFailure(message, endpoint.destination(),
                        endpoint.invoker().description(), clientAck, failure));
            } catch (RuntimeException e) {
                log.error("The StompListenerErrorHandler failed on a message from {} (message-id {}): {}",
                        endpoint.destination(), message.header("message-id"), e.toString());
            }
            return;
        }
        if (clientAck) {
            message.ack();
        }
    }
}
