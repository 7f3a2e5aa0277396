package dev.jstomp.internal.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompObserver;
import dev.jstomp.StompResources;
import dev.jstomp.internal.frame.DebugFormatter;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.Headers;
import dev.jstomp.internal.resources.DefaultStompResources;
import dev.jstomp.internal.resources.Pools;
import dev.jstomp.internal.transport.Transport;
import dev.jstomp.internal.transport.TransportFactory;
import dev.jstomp.internal.transport.TransportOptions;
import dev.jstomp.internal.util.SerialLane;

/**
 * The client's connection life cycle: its state, connecting (with the beforeConnect supplier), disconnecting
 * and closing, the resources and callback lanes a connection uses, and telling listeners and observers of
 * each change. It owns the one {@link #lock} that guards the client's connection state; {@link Reconnector},
 * {@link ConnectionEvents}, {@link SendPath} and {@link SubscriptionRegistry} take that same lock.
 */
final class ConnectionLifecycle {

    /** The client's log category, the one its users configure. */
    private static final Logger log = LoggerFactory.getLogger(DefaultStompClient.class);
    private static final int DEBUG_BODY_CHARS = 4096;
    /**
     * Received messages waiting for their callbacks, in bytes, past which a connection stops reading until
     * half as much waits (InboundBacklog): what a slow ack:auto consumer may hold, instead of all the broker has.
     */
    static final long PAUSE_READING_AT_BYTES = 8L * 1024 * 1024;

    /** Guards the fields marked "guarded by lock" here and in Reconnector. */
    final Object lock = new Object();
    final Settings settings;
    final Reconnector reconnect;
    final SendPath sends;
    final SubscriptionRegistry subscriptions;
    private final ConnectionEvents events;
    /** Open transactions: they end with their connection. */
    final Map<String, ClientTransaction> transactions = new ConcurrentHashMap<>();
    /** jstomp's own adapters' observers (ClientHooks), beside the user's one state listener. */
    private final List<ClientHooks.Lifecycle> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile @Nullable StompFrame connectedFrame;

    // Guarded by lock.
    ConnectionState state = ConnectionState.DISCONNECTED;
    @Nullable StompConnection connection;
    boolean closed;
    boolean disconnecting;
    /** The pools taken from {@link #resourcesOwner} at the first connect, given back at close. */
    @Nullable Pools resources;
    private volatile DefaultStompResources resourcesOwner = DefaultStompResources.SHARED;
    private @Nullable SerialLane clientLane;
    private @Nullable SerialLane debugLane;
    @Nullable Executor callbacks;
    private Map<String, String> connectHeaders = Map.of();
    @Nullable Consumer<StompFrame> connectCallback;
    private @Nullable Consumer<StompError> errorCallback;
    @Nullable CompletableFuture<StompFrame> connectFuture;
    /** Whether the caller holds connectFuture (connectAsync); if not, failures without a callback are logged. */
    private boolean futureReturned;
    /** What the degraded listener last heard, so a new connection (or the end) can clear it. */
    private boolean degradedReported;
    private @Nullable Consumer<ConnectionState> stateListener;
    /** Numbers connection attempts, so a beforeConnect result that comes back late is dropped. */
    private long connectAttempts;
    /** The beforeConnect supplier running now, if any: interrupted by close(), since its thread is shared. */
    private java.util.concurrent.@Nullable Future<?> beforeConnectTask;
    /** Null when nothing observes the client: every call site is then one null check (see StompObserver). */
    volatile @Nullable StompObserver observer;

    ConnectionLifecycle(DefaultStompClient client, List<TransportFactory> addresses, Settings settings) {
        this.settings = settings;
        this.reconnect = new Reconnector(this, addresses);
        this.sends = new SendPath(this);
        this.subscriptions = new SubscriptionRegistry(client, this);
        this.events = new ConnectionEvents(this);
    }

    boolean busy() {
        synchronized (lock) {
            return state != ConnectionState.DISCONNECTED;
        }
    }

    int reconnectAttempt() {
        synchronized (lock) {
            return state == ConnectionState.RECONNECTING ? reconnect.attempt() : 0;
        }
    }

    @Nullable String connectedTo() {
        synchronized (lock) {
            // addressIndex moves on only when a connection ends, so while connected it names this one.
            return state == ConnectionState.CONNECTED && connection != null ? reconnect.address().url() : null;
        }
    }

    void addObserver(StompObserver added) {
        synchronized (lock) {
            if (closed || state != ConnectionState.DISCONNECTED) {
                throw new IllegalStateException("Cannot add an observer while " + (closed ? "closed"
                        : state.name().toLowerCase(java.util.Locale.ROOT)) + "; add it before connect()");
            }
            observer = Observers.add(observer, added);
        }
    }

    void resources(StompResources given) {
        synchronized (lock) {
            if (this.resources != null) {
                throw new IllegalStateException("Cannot change resources once the client has connected; "
                        + "set them before the first connect()");
            }
            // The one implementation: StompResources' factories make nothing else.
            resourcesOwner = (DefaultStompResources) given;
        }
    }

    CompletableFuture<StompFrame> connectAsync(Map<String, String> headers) {
        synchronized (lock) {
            CompletableFuture<StompFrame> future = start(headers, null, null);
            futureReturned = true;
            return future;
        }
    }

    CompletableFuture<StompFrame> start(Map<String, String> headers,
            @Nullable Consumer<StompFrame> onConnect, @Nullable Consumer<StompError> onError) {
        Objects.requireNonNull(headers, "headers");
        Headers.validate("CONNECT", headers);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("This client is closed; create a new one with Stomp.client(...)");
            }
            if (state != ConnectionState.DISCONNECTED) {
                throw new IllegalStateException("Already " + state.name().toLowerCase(java.util.Locale.ROOT)
                        + " to " + reconnect.address().describe() + "; disconnect() first");
            }
            Map<String, String> connect = new LinkedHashMap<>();
            connect.put("accept-version", "1.0,1.1,1.2");
            connect.put("heart-beat", settings.outgoing() + "," + settings.incoming());
            connect.putAll(headers);
            connectHeaders = connect;
            connectCallback = onConnect;
            errorCallback = onError;
            connectFuture = new CompletableFuture<>();
            futureReturned = false;
            stateListener = settings.stateListener();
            disconnecting = false;
            reconnect.reset();
            ensureResources();
            setState(ConnectionState.CONNECTING);
            openConnection();
            return connectFuture;
        }
    }

    private void ensureResources() {
        if (resources == null) {
            resources = resourcesOwner.retain();
            debugLane = new SerialLane(resources.writers(), "jstomp debug");
        }
        // Per connect: the executor may have been changed while disconnected.
        Executor given = settings.callbackExecutor();
        callbacks = given != null ? given : resources.callbacks();
        clientLane = new SerialLane(callbacks, "jstomp connection callbacks");
    }

    /** Under lock: opens the next connection, after asking the beforeConnect supplier (off the lock) if there is one. */
    void openConnection() {
        Supplier<Map<String, String>> supplier = settings.beforeConnect();
        if (supplier == null) {
            openConnection(connectHeaders);
            return;
        }
        long attempt = ++connectAttempts;
        Map<String, String> given = connectHeaders;
        String where = reconnect.address().describe();
        beforeConnectTask = Objects.requireNonNull(resources).beforeConnect().submit(() -> {
            Map<String, String> headers = null;
            StompException failure = null;
            try {
                headers = withBeforeConnect(given, supplier.get());
            } catch (RuntimeException e) {
                // The supplier's exception is the cause; no header value of any attempt goes into the text.
                failure = new StompConnectionException("Not connecting to " + where + ": the beforeConnect supplier "
                        + "failed (" + e.getClass().getName() + "); check what it fetches headers or tokens from", e);
            }
            try {
                synchronized (lock) {
                    if (attempt != connectAttempts || connection != null || closed || disconnecting
                            || (state != ConnectionState.CONNECTING && state != ConnectionState.RECONNECTING)) {
                        return; // disconnected, closed or superseded while the supplier ran
                    }
                    if (failure != null) {
                        events.failedBeforeOpening(failure);
                    } else {
                        openConnection(Objects.requireNonNull(headers));
                    }
                }
            } catch (RuntimeException e) {
                // submit() would keep it in a Future nobody reads.
                log.error("Opening a connection to {} after beforeConnect failed", where, e);
            }
        });
    }

    private static Map<String, String> withBeforeConnect(Map<String, String> given, @Nullable Map<String, String> fresh) {
        if (fresh == null) {
            throw new IllegalArgumentException("the beforeConnect supplier returned null; return Map.of() for no headers");
        }
        Headers.validate("CONNECT", fresh);
        Map<String, String> headers = new LinkedHashMap<>(given);
        headers.putAll(fresh);
        return headers;
    }

    private void openConnection(Map<String, String> headers) {
        Pools res = Objects.requireNonNull(resources);
        Transport transport;
        try {
            transport = reconnect.address().create(new TransportOptions(settings.maxFrameSize(),
                    settings.webSocketMessageSize(), settings.connectTimeout(), settings.sslContext(), res));
        } catch (StompException e) {
            connection = null;
            // Through the timer, so the caller's connect() has returned before callbacks fire.
            res.timer().execute(() -> events.failedBeforeOpening(e));
            return;
        }
        // A heart-beat header given to connect() is what goes on the wire, so it is what is negotiated.
        long[] offered = HeartbeatTerms.parse(headers.get("heart-beat"));
        ConnectionSettings connectionSettings = new ConnectionSettings(
                offered[0], offered[1], settings.connectTimeout().toMillis(),
                settings.receiptTimeout().toMillis(), settings.tolerance(), settings.debug(),
                Objects.requireNonNull(debugLane), new DebugFormatter(DEBUG_BODY_CHARS), PAUSE_READING_AT_BYTES,
                settings.outboundBufferLimit(), settings.sendTimeout().toMillis(), observer);
        StompConnection opened = new StompConnection(transport, connectionSettings, res.timer(), res.writers(), events);
        connection = opened;
        opened.start(headers);
    }

    boolean connected() {
        synchronized (lock) {
            return state == ConnectionState.CONNECTED;
        }
    }

    ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    CompletableFuture<Void> disconnectAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        disconnectNow().whenComplete((ignored, failure) -> {
            // Off the I/O thread, like every other completion; straight away if the lanes are gone (closing).
            SerialLane lane;
            synchronized (lock) {
                lane = resources == null ? null : clientLane;
            }
            if (lane == null) {
                done.complete(null);
            } else {
                lane.execute(() -> done.complete(null));
            }
        });
        return done;
    }

    private CompletableFuture<Void> disconnectNow() {
        StompConnection current;
        synchronized (lock) {
            disconnecting = true;
            reconnect.cancel();
            current = connection;
            if (current == null) {
                if (state != ConnectionState.DISCONNECTED) {
                    failConnectFuture(new StompConnectionException("Connecting to " + reconnect.address().describe()
                            + " was cancelled by disconnect()", null));
                    sends.releaseHeld("the client disconnected while reconnecting");
                    setState(ConnectionState.DISCONNECTED);
                }
                return CompletableFuture.completedFuture(null);
            }
        }
        return current.disconnect();
    }

    void close() {
        Pools res;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long waitMillis = settings.receiptTimeout().toMillis() + 2_000;
        try {
            disconnectNow().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("Disconnect during close did not finish cleanly: {}", e.toString());
        }
        synchronized (lock) {
            StompConnection current = connection;
            if (current != null) {
                current.abort();
            }
            if (beforeConnectTask != null) {
                beforeConnectTask.cancel(true); // a supplier still blocking is interrupted
                beforeConnectTask = null;
            }
            res = resources;
            resources = null;
        }
        subscriptions.deactivateAll();
        for (ClientHooks.Lifecycle observer : observers) {
            try {
                observer.closed();
            } catch (RuntimeException e) {
                log.warn("A life-cycle observer failed", e);
            }
        }
        observers.clear();
        if (res != null) {
            boolean onOwnThread = Thread.currentThread().getName().startsWith("jstomp-");
            resourcesOwner.release(res, onOwnThread ? 0 : 2_000);
        }
    }

    @Nullable StompConnection currentConnection() {
        synchronized (lock) {
            return connection;
        }
    }

    StompConnection requireConnection(String command) {
        synchronized (lock) {
            StompConnection current = connection;
            if (current == null || state != ConnectionState.CONNECTED) {
                throw new StompConnectionException("Cannot send " + command + ": not connected to "
                        + reconnect.address().describe() + " (state " + state + ")", null);
            }
            return current;
        }
    }

    // --- telling listeners, under lock ---

    void setState(ConnectionState next) {
        if (state == next) {
            return;
        }
        state = next;
        StompObserver observing = observer;
        if (observing != null) {
            observing.stateChanged(next);
        }
        Consumer<ConnectionState> target = stateListener;
        if (target != null) {
            onClientLane(() -> target.accept(next));
        }
        tellObservers(observer -> observer.state(next));
    }

    void tellObservers(Consumer<ClientHooks.Lifecycle> event) {
        if (observers.isEmpty()) {
            return;
        }
        onClientLane(() -> observers.forEach(observer -> {
            try {
                event.accept(observer);
            } catch (RuntimeException e) {
                log.warn("A life-cycle observer failed", e);
            }
        }));
    }

    AutoCloseable observe(ClientHooks.Lifecycle observer) {
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    void onClientLane(Runnable task) {
        SerialLane lane = clientLane;
        if (lane != null) {
            lane.execute(task);
        } else {
            task.run();
        }
    }

    void failConnectFuture(StompException failure) {
        CompletableFuture<StompFrame> future = connectFuture;
        if (future != null && !future.isDone()) {
            onClientLane(() -> future.completeExceptionally(failure));
        }
    }

    void reportError(StompException failure, @Nullable Frame errorFrame) {
        Consumer<StompError> target = errorCallback;
        StompError error = new StompError(failure.getMessage(), errorFrame, failure);
        if (target != null) {
            onClientLane(() -> target.accept(error));
        } else if (!futureReturned || connectFuture == null || connectFuture.isDone()) {
            log.warn("{} (no errorCallback given)", failure.getMessage());
        }
    }

    /** Under lock: tells the degraded listener about a change, and only a change. */
    void reportDegraded(boolean degraded) {
        Consumer<Boolean> target = settings.degradedListener();
        if (degradedReported != degraded) {
            degradedReported = degraded;
            StompObserver observing = observer;
            if (observing != null) {
                observing.degraded(degraded);
            }
            if (target != null) {
                onClientLane(() -> target.accept(degraded));
            }
        }
    }
}
