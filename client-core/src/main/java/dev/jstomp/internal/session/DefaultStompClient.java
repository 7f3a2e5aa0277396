package dev.jstomp.internal.session;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.Heartbeat;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.StompResources;
import dev.jstomp.Subscription;
import dev.jstomp.Transaction;
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
 * The {@link StompClient}: configuration, the connection life cycle (including automatic reconnect), the
 * subscription registry that outlives connections, and hand-off of every callback to the callback
 * executor. One {@link StompConnection} at a time does the protocol work.
 */
public final class DefaultStompClient implements StompClient {

    private static final Logger log = LoggerFactory.getLogger(DefaultStompClient.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int DEBUG_BODY_CHARS = 4096;
    /**
     * Received messages waiting for their callbacks, in bytes, past which a connection stops reading until
     * half as much waits (InboundBacklog): what a slow ack:auto consumer may hold, instead of all the broker has.
     */
    static final long PAUSE_READING_AT_BYTES = 8L * 1024 * 1024;

    private final List<TransportFactory> addresses;
    private final HeldFrames held = new HeldFrames();
    private final Settings settings = new Settings(this::busy);
    private final Object lock = new Object();
    private final Map<String, ClientSubscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, ClientTransaction> transactions = new ConcurrentHashMap<>();
    private final AtomicLong subscriptionIds = new AtomicLong();
    private final AtomicLong transactionIds = new AtomicLong();
    private final Listener listener = new Listener();
    /** jstomp's own adapters' observers (ClientHooks), beside the user's one state listener. */
    private final List<ClientHooks.Lifecycle> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile @Nullable StompFrame connectedFrame;

    // Guarded by lock.
    private ConnectionState state = ConnectionState.DISCONNECTED;
    private @Nullable StompConnection connection;
    private boolean closed;
    private boolean disconnecting;
    private int reconnectAttempt;
    private int addressIndex;
    /**
     * Per address (same index): connection attempts that failed in a row, and when it may be tried again. Each
     * URL backs off on its own, so a dead node does not delay reconnecting to a live one (a lost connection
     * is not a failed attempt: the node worked).
     */
    private final int[] failedAttempts;
    private final long[] retryAtNanos;
    private @Nullable ScheduledFuture<?> reconnectTask;
    /** The pools taken from {@link #resourcesOwner} at the first connect, given back at close. */
    private @Nullable Pools resources;
    private volatile DefaultStompResources resourcesOwner = DefaultStompResources.SHARED;
    private @Nullable SerialLane clientLane;
    private @Nullable SerialLane debugLane;
    private @Nullable Executor callbacks;
    private Map<String, String> connectHeaders = Map.of();
    private @Nullable Consumer<StompFrame> connectCallback;
    private @Nullable Consumer<StompError> errorCallback;
    private @Nullable CompletableFuture<StompFrame> connectFuture;
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
    private volatile @Nullable StompObserver observer;

    /** @param addresses one broker address, or several to fail over between, in order */
    public DefaultStompClient(List<TransportFactory> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("At least one broker address is needed");
        }
        this.addresses = List.copyOf(addresses);
        this.failedAttempts = new int[addresses.size()];
        this.retryAtNanos = new long[addresses.size()];
    }

    /** The address in use or next to be tried. */
    private TransportFactory address() {
        synchronized (lock) {
            return addresses.get(addressIndex % addresses.size());
        }
    }

    private boolean busy() {
        synchronized (lock) {
            return state != ConnectionState.DISCONNECTED;
        }
    }

    // --- configuration ---

    @Override
    public Heartbeat heartbeat() {
        return settings;
    }

    @Override
    public StompClient debug(@Nullable Consumer<String> debug) {
        settings.debug(debug);
        return this;
    }

    @Override
    public StompClient reconnectDelay(long millis) {
        settings.reconnectDelay(millis);
        return this;
    }

    @Override
    public StompClient reconnectMaxDelay(long millis) {
        settings.maxReconnectDelay(millis);
        return this;
    }

    @Override
    public StompClient reconnectMaxAttempts(int attempts) {
        settings.maxReconnectAttempts(attempts);
        return this;
    }

    @Override
    public int reconnectAttempt() {
        synchronized (lock) {
            return state == ConnectionState.RECONNECTING ? reconnectAttempt : 0;
        }
    }

    @Override
    public StompClient heldSendLimit(int messages, long bytes) {
        settings.heldSendLimit(messages, bytes);
        return this;
    }

    @Override
    public StompClient onUnsent(@Nullable Consumer<List<StompFrame>> handler) {
        settings.unsentHandler(handler);
        return this;
    }

    @Override
    public StompClient onUnhandledMessage(@Nullable Consumer<StompMessage> handler) {
        settings.unhandledHandler(handler);
        return this;
    }

    @Override
    public StompClient onConnectionDegraded(@Nullable Consumer<Boolean> listener) {
        settings.degradedListener(listener);
        return this;
    }

    @Override
    public StompClient sslContext(javax.net.ssl.@Nullable SSLContext sslContext) {
        settings.sslContext(sslContext);
        return this;
    }

    @Override
    public @Nullable String connectedTo() {
        synchronized (lock) {
            // addressIndex moves on only when a connection ends, so while connected it names this one.
            return state == ConnectionState.CONNECTED && connection != null ? address().url() : null;
        }
    }

    @Override
    public StompClient onStateChange(@Nullable Consumer<ConnectionState> listener) {
        settings.stateListener(listener);
        return this;
    }

    @Override
    public StompClient observe(StompObserver added) {
        Objects.requireNonNull(added, "observer");
        synchronized (lock) {
            if (closed || state != ConnectionState.DISCONNECTED) {
                throw new IllegalStateException("Cannot add an observer while " + (closed ? "closed"
                        : state.name().toLowerCase(java.util.Locale.ROOT)) + "; add it before connect()");
            }
            observer = Observers.add(observer, added);
        }
        added.attached(new ClientStats());
        return this;
    }

    /** The observer's gauges: plain reads of what the client keeps anyway. */
    private final class ClientStats implements StompObserver.Stats {
        @Override
        public String address() {
            return addresses.get(0).describe();
        }

        @Override
        public long inboundBacklogBytes() {
            StompConnection current = currentConnection();
            return current == null ? 0 : current.backlog().bytes();
        }

        @Override
        public int heldSends() {
            return held.size();
        }

        @Override
        public long heldSendBytes() {
            return held.bytes();
        }
    }

    @Override
    public StompClient callbackExecutor(@Nullable Executor executor) {
        settings.callbackExecutor(executor);
        return this;
    }

    @Override
    public StompClient connectTimeout(Duration timeout) {
        settings.connectTimeout(timeout);
        return this;
    }

    @Override
    public StompClient receiptTimeout(Duration timeout) {
        settings.receiptTimeout(timeout);
        return this;
    }

    @Override
    public StompClient resources(StompResources resources) {
        Objects.requireNonNull(resources, "resources");
        synchronized (lock) {
            if (this.resources != null) {
                throw new IllegalStateException("Cannot change resources once the client has connected; "
                        + "set them before the first connect()");
            }
            // The one implementation: StompResources' factories make nothing else.
            resourcesOwner = (DefaultStompResources) resources;
        }
        return this;
    }

    @Override
    public StompClient outboundBufferLimit(long bytes) {
        settings.outboundBufferLimit(bytes);
        return this;
    }

    @Override
    public StompClient sendTimeout(Duration timeout) {
        settings.sendTimeout(timeout);
        return this;
    }

    @Override
    public StompClient maxFrameSize(int bytes) {
        settings.maxFrameSize(bytes);
        return this;
    }

    @Override
    public StompClient beforeConnect(@Nullable Supplier<Map<String, String>> supplier) {
        settings.beforeConnect(supplier);
        return this;
    }

    @Override
    public StompClient webSocketMessageSize(int bytes) {
        settings.webSocketMessageSize(bytes);
        return this;
    }

    // --- connecting ---

    @Override
    public void connect(String login, String passcode, Consumer<StompFrame> connectCallback) {
        start(credentials(login, passcode, null), connectCallback, null);
    }

    @Override
    public void connect(String login, String passcode, Consumer<StompFrame> connectCallback,
            Consumer<StompError> errorCallback) {
        start(credentials(login, passcode, null), connectCallback, errorCallback);
    }

    @Override
    public void connect(String login, String passcode, Consumer<StompFrame> connectCallback,
            Consumer<StompError> errorCallback, String host) {
        start(credentials(login, passcode, host), connectCallback, errorCallback);
    }

    @Override
    public void connect(Map<String, String> headers, Consumer<StompFrame> connectCallback) {
        start(headers, connectCallback, null);
    }

    @Override
    public void connect(Map<String, String> headers, Consumer<StompFrame> connectCallback,
            Consumer<StompError> errorCallback) {
        start(headers, connectCallback, errorCallback);
    }

    @Override
    public CompletableFuture<StompFrame> connectAsync(Map<String, String> headers) {
        synchronized (lock) {
            CompletableFuture<StompFrame> future = start(headers, null, null);
            futureReturned = true;
            return future;
        }
    }

    private static Map<String, String> credentials(String login, String passcode, @Nullable String host) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("login", Objects.requireNonNull(login, "login"));
        headers.put("passcode", Objects.requireNonNull(passcode, "passcode"));
        if (host != null) {
            headers.put("host", host);
        }
        return headers;
    }

    private CompletableFuture<StompFrame> start(Map<String, String> headers,
            @Nullable Consumer<StompFrame> onConnect, @Nullable Consumer<StompError> onError) {
        Objects.requireNonNull(headers, "headers");
        Headers.validate("CONNECT", headers);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("This client is closed; create a new one with Stomp.client(...)");
            }
            if (state != ConnectionState.DISCONNECTED) {
                throw new IllegalStateException("Already " + state.name().toLowerCase(java.util.Locale.ROOT)
                        + " to " + address().describe() + "; disconnect() first");
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
            reconnectAttempt = 0;
            java.util.Arrays.fill(failedAttempts, 0);
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
    private void openConnection() {
        Supplier<Map<String, String>> supplier = settings.beforeConnect();
        if (supplier == null) {
            openConnection(connectHeaders);
            return;
        }
        long attempt = ++connectAttempts;
        Map<String, String> given = connectHeaders;
        String where = address().describe();
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
                        listener.failedBeforeOpening(failure);
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
            transport = address().create(new TransportOptions(settings.maxFrameSize(),
                    settings.webSocketMessageSize(), settings.connectTimeout(), settings.sslContext(), res));
        } catch (StompException e) {
            connection = null;
            // Through the timer, so the caller's connect() has returned before callbacks fire.
            res.timer().execute(() -> listener.failedBeforeOpening(e));
            return;
        }
        // A heart-beat header given to connect() is what goes on the wire, so it is what is negotiated.
        long[] offered = HeartbeatTerms.parse(headers.get("heart-beat"));
        ConnectionSettings connectionSettings = new ConnectionSettings(
                offered[0], offered[1], settings.connectTimeout().toMillis(),
                settings.receiptTimeout().toMillis(), settings.tolerance(), settings.debug(),
                Objects.requireNonNull(debugLane), new DebugFormatter(DEBUG_BODY_CHARS), PAUSE_READING_AT_BYTES,
                settings.outboundBufferLimit(), settings.sendTimeout().toMillis(), observer);
        StompConnection opened = new StompConnection(transport, connectionSettings, res.timer(), res.writers(), listener);
        connection = opened;
        opened.start(headers);
    }

    @Override
    public boolean connected() {
        synchronized (lock) {
            return state == ConnectionState.CONNECTED;
        }
    }

    @Override
    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public void disconnect(Runnable disconnectCallback) {
        Objects.requireNonNull(disconnectCallback, "disconnectCallback");
        disconnectAsync().thenRun(() -> onClientLane(disconnectCallback));
    }

    @Override
    public void disconnect() {
        disconnectAsync();
    }

    @Override
    public CompletableFuture<Void> disconnectAsync() {
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
            cancelReconnect();
            current = connection;
            if (current == null) {
                if (state != ConnectionState.DISCONNECTED) {
                    failConnectFuture(new StompConnectionException("Connecting to " + address().describe()
                            + " was cancelled by disconnect()", null));
                    releaseHeld("the client disconnected while reconnecting");
                    setState(ConnectionState.DISCONNECTED);
                }
                return CompletableFuture.completedFuture(null);
            }
        }
        return current.disconnect();
    }

    @Override
    public void close() {
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
        subscriptions.values().forEach(ClientSubscription::deactivate);
        subscriptions.clear();
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

    // --- messaging ---

    @Override
    public void send(String destination, Map<String, String> headers, String body) {
        Objects.requireNonNull(body, "body");
        send(destination, headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void send(String destination, Map<String, String> headers, byte[] body) {
        Frame frame = sendFrame(destination, headers, body);
        StompObserver observing = observer;
        if (observing != null) {
            observedSend(observing, frame);
            return;
        }
        sendFrame(frame);
    }

    private void sendFrame(Frame frame) {
        // Room first, outside the lock: a full buffer makes this wait, and the connection's events need the lock.
        StompConnection reservedOn = currentConnection();
        long reserved = reservedOn == null ? 0 : reservedOn.reserve(frame);
        StompConnection queuedOn = null;
        try {
            synchronized (lock) {
                // Under the lock: a connection that is closing cannot move the client to RECONNECTING meanwhile,
                // so a send at the moment of a loss is either written or held, never refused.
                if (state != ConnectionState.RECONNECTING) {
                    StompConnection current = requireConnection("SEND");
                    long room = current == reservedOn && reserved > 0 ? reserved : current.reserveNow(frame);
                    if (current.tryQueue(frame, room)) {
                        queuedOn = current;
                        if (room == reserved) {
                            reserved = 0;
                        }
                    } else if (room != reserved) {
                        current.unreserve(room);
                    }
                }
                if (queuedOn == null) {
                    hold(frame, null);
                }
            }
        } finally {
            if (reserved > 0) {
                reservedOn.unreserve(reserved);
            }
        }
        if (queuedOn != null) {
            queuedOn.writeQueuedFrame(); // outside the lock: it may write here and now
        }
    }

    /** A send with observers: they add headers (a trace context) and hear how it ended. */
    private void observedSend(StompObserver observing, Frame frame) {
        Map<String, String> added = new LinkedHashMap<>();
        StompObserver.Sending sending = observing.sending(frame, added);
        try {
            sendFrame(withAddedHeaders(frame, added));
        } catch (RuntimeException e) {
            if (sending != null) {
                sending.done(e);
            }
            throw e;
        }
        if (sending != null) {
            sending.done(null);
        }
    }

    /** The observers' headers after the caller's, which win on a clash. */
    private static Frame withAddedHeaders(Frame frame, Map<String, String> added) {
        if (added.isEmpty()) {
            return frame;
        }
        Headers.validate("SEND", added);
        Map<String, String> headers = new LinkedHashMap<>(frame.headers());
        added.forEach(headers::putIfAbsent);
        return new Frame(frame.command(), headers, frame.bodyArray(), frame.bodyOffset(), frame.bodyLength());
    }

    @Override
    public CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, byte[] body) {
        Frame frame = sendFrame(destination, headers, body);
        StompObserver observing = observer;
        if (observing != null) {
            Map<String, String> added = new LinkedHashMap<>();
            StompObserver.Sending sending = observing.sending(frame, added);
            CompletableFuture<StompFrame> receipt;
            try {
                receipt = sendWithReceipt(withAddedHeaders(frame, added));
            } catch (RuntimeException e) {
                if (sending != null) {
                    sending.done(e);
                }
                throw e;
            }
            if (sending != null) {
                receipt.whenComplete((answer, failure) -> sending.done(failure));
            }
            return receipt;
        }
        return sendWithReceipt(frame);
    }

    private CompletableFuture<StompFrame> sendWithReceipt(Frame frame) {
        CompletableFuture<StompFrame> receipt = new CompletableFuture<>();
        StompConnection reservedOn = currentConnection();
        long reserved;
        try {
            reserved = reservedOn == null ? 0 : reservedOn.reserve(frame); // outside the lock, as for send
        } catch (StompException full) {
            receipt.completeExceptionally(full); // through the future, like every other outcome
            return receipt;
        }
        try {
            synchronized (lock) {
                CompletableFuture<Frame> answer = null;
                if (state != ConnectionState.RECONNECTING) {
                    StompConnection current = requireConnection("SEND");
                    long room = current == reservedOn && reserved > 0 ? reserved : current.reserveNow(frame);
                    answer = current.trySendWithReceipt(frame, settings.receiptTimeout().toMillis(), room);
                    if (answer != null && room == reserved) {
                        reserved = 0;
                    } else if (answer == null && room != reserved) {
                        current.unreserve(room);
                    }
                }
                if (answer == null) {
                    try {
                        hold(frame, receipt);
                    } catch (StompConnectionException full) {
                        // A send that asked for a receipt reports through its future, like every other outcome.
                        receipt.completeExceptionally(full);
                    }
                } else {
                    pipe(answer, receipt);
                }
            }
        } finally {
            if (reserved > 0) {
                reservedOn.unreserve(reserved);
            }
        }
        return receipt;
    }

    /** Holds a frame for the next connection, when the client is (about to be) reconnecting. */
    private void hold(Frame frame, @Nullable CompletableFuture<StompFrame> receipt) {
        boolean reconnecting = state == ConnectionState.RECONNECTING
                || (settings.reconnectDelay() > 0 && !disconnecting && !closed);
        if (!reconnecting) {
            throw new StompConnectionException("Cannot send " + frame.command() + ": the connection to "
                    + address().describe() + " is closing", null);
        }
        held.hold(frame, receipt, settings.heldMessages(), settings.heldBytes(), address().describe());
    }

    @Override
    public CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, String body) {
        Objects.requireNonNull(body, "body");
        return sendWithReceipt(destination, headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<StompFrame> watchForReceipt(String receiptId) {
        Objects.requireNonNull(receiptId, "receiptId");
        StompConnection current = requireConnection("a receipted frame");
        return onCallbackThread(current.expectReceipt(receiptId, settings.receiptTimeout().toMillis(), "frame"));
    }

    private static Frame sendFrame(String destination, Map<String, String> headers, byte[] body) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Headers.validate("SEND", headers);
        if (headers.isEmpty()) {
            return new Frame("SEND", Map.of("destination", destination), body);
        }
        Map<String, String> frameHeaders = new LinkedHashMap<>(headers.size() + 2);
        frameHeaders.put("destination", destination);
        headers.forEach(frameHeaders::putIfAbsent);
        return new Frame("SEND", frameHeaders, body);
    }

    /** Receipts arrive on I/O threads; users' continuations must not run there. */
    private CompletableFuture<StompFrame> onCallbackThread(CompletableFuture<Frame> receipt) {
        CompletableFuture<StompFrame> result = new CompletableFuture<>();
        pipe(receipt, result);
        return result;
    }

    private void pipe(CompletableFuture<Frame> receipt, CompletableFuture<StompFrame> result) {
        receipt.whenComplete((frame, failure) -> onClientLane(() -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(frame);
            }
        }));
    }

    @Override
    public void send(String destination) {
        send(destination, Map.of(), EMPTY);
    }

    @Override
    public Subscription subscribe(String destination, Consumer<StompMessage> callback) {
        return subscribe(destination, callback, Map.of());
    }

    @Override
    public Subscription subscribe(String destination, Consumer<StompMessage> callback, Map<String, String> headers) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(headers, "headers");
        Headers.validate("SUBSCRIBE", headers);
        StompConnection current;
        synchronized (lock) {
            // While reconnecting the subscription is registered and made on the next CONNECTED.
            current = state == ConnectionState.RECONNECTING ? null : requireConnection("SUBSCRIBE");
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
        ClientSubscription subscription = new ClientSubscription(this, subscriptionId, destination, frameHeaders,
                callback, new SerialLane(Objects.requireNonNull(callbacks), "jstomp subscription " + subscriptionId),
                observer);
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

    @Override
    public void unsubscribe(String id) {
        unsubscribe(id, Map.of());
    }

    @Override
    public void unsubscribe(String id, Map<String, String> headers) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(headers, "headers");
        Headers.validate("UNSUBSCRIBE", headers);
        ClientSubscription subscription = subscriptions.remove(id);
        if (subscription == null) {
            return;
        }
        subscription.deactivate();
        StompConnection current = currentConnection();
        if (current != null && current.isConnected()) {
            Map<String, String> frameHeaders = new LinkedHashMap<>();
            frameHeaders.put("id", id);
            headers.forEach(frameHeaders::putIfAbsent);
            current.send(new Frame("UNSUBSCRIBE", frameHeaders, EMPTY));
        }
    }

    @Override
    public Transaction begin() {
        String id;
        do {
            id = "tx-" + transactionIds.incrementAndGet();
        } while (transactions.containsKey(id));
        return begin(id);
    }

    @Override
    public Transaction begin(String id) {
        Objects.requireNonNull(id, "id");
        Headers.validate("BEGIN", Map.of("transaction", id));
        StompConnection current = requireConnection("BEGIN");
        ClientTransaction transaction = new ClientTransaction(id, current, () -> transactions.remove(id));
        if (transactions.putIfAbsent(id, transaction) != null) {
            throw new IllegalArgumentException("Transaction '" + id + "' is already open");
        }
        try {
            current.send(new Frame("BEGIN", Map.of("transaction", id), EMPTY));
        } catch (RuntimeException e) {
            transactions.remove(id, transaction);
            throw e;
        }
        return transaction;
    }

    private @Nullable StompConnection currentConnection() {
        synchronized (lock) {
            return connection;
        }
    }

    private StompConnection requireConnection(String command) {
        synchronized (lock) {
            StompConnection current = connection;
            if (current == null || state != ConnectionState.CONNECTED) {
                throw new StompConnectionException("Cannot send " + command + ": not connected to "
                        + address().describe() + " (state " + state + ")", null);
            }
            return current;
        }
    }

    // --- life cycle, under lock ---

    private void setState(ConnectionState next) {
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

    private void tellObservers(Consumer<ClientHooks.Lifecycle> event) {
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

    @Nullable StompFrame connectedFrame() {
        return connectedFrame;
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void onClientLane(Runnable task) {
        SerialLane lane = clientLane;
        if (lane != null) {
            lane.execute(task);
        } else {
            task.run();
        }
    }

    private void failConnectFuture(StompException failure) {
        CompletableFuture<StompFrame> future = connectFuture;
        if (future != null && !future.isDone()) {
            onClientLane(() -> future.completeExceptionally(failure));
        }
    }

    private void reportError(StompException failure, @Nullable Frame errorFrame) {
        Consumer<StompError> target = errorCallback;
        StompError error = new StompError(failure.getMessage(), errorFrame, failure);
        if (target != null) {
            onClientLane(() -> target.accept(error));
        } else if (!futureReturned || connectFuture == null || connectFuture.isDone()) {
            log.warn("{} (no errorCallback given)", failure.getMessage());
        }
    }

    /** Under lock: the back-off of an address after {@code failures} failed attempts in a row, jittered. */
    private long backoffMillis(int failures) {
        long delay = Math.min(settings.maxReconnectDelay(), settings.reconnectDelay() << Math.min(failures, 16));
        // Jitter spreads a crowd of clients so a restarted broker is not hit by all at once.
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    /** Under lock: an attempt on the current address failed; it backs off before its next try. */
    private void attemptFailed() {
        int current = addressIndex % addresses.size();
        failedAttempts[current]++;
        retryAtNanos[current] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis(failedAttempts[current]));
    }

    private void scheduleReconnect() {
        // The next address in turn whose own back-off ends first; one that never failed waits reconnectDelay.
        long now = System.nanoTime();
        long first = backoffMillis(0); // one draw for all, so ties go to the next in turn, not to chance
        long jittered = Long.MAX_VALUE;
        int chosen = 0;
        for (int k = 0; k < addresses.size(); k++) {
            int i = (addressIndex + k) % addresses.size();
            long wait = first;
            if (failedAttempts[i] > 0) {
                wait = Math.max(wait, TimeUnit.NANOSECONDS.toMillis(retryAtNanos[i] - now));
            }
            if (wait < jittered) {
                jittered = wait;
                chosen = k;
            }
        }
        addressIndex = (addressIndex + chosen) % addresses.size();
        reconnectAttempt++;
        Pools res = Objects.requireNonNull(resources);
        log.debug("Reconnecting to {} in {} ms (attempt {})", address().describe(), jittered, reconnectAttempt);
        reconnectTask = res.timer().schedule(() -> {
            synchronized (lock) {
                if (state == ConnectionState.RECONNECTING && !disconnecting && !closed) {
                    openConnection();
                }
            }
        }, jittered, TimeUnit.MILLISECONDS);
    }

    private void cancelReconnect() {
        ScheduledFuture<?> task = reconnectTask;
        if (task != null) {
            task.cancel(false);
            reconnectTask = null;
        }
    }

    /** Connection events, from transport and timer threads. */
    private final class Listener implements ConnectionListener {

        @Override
        public void connected(StompConnection opened, Frame connectedFrame) {
            Consumer<StompFrame> onConnect;
            CompletableFuture<StompFrame> future;
            boolean first;
            synchronized (lock) {
                if (opened != connection) {
                    opened.abort();
                    return;
                }
                first = reconnectAttempt == 0 || connectFuture == null || !connectFuture.isDone();
                StompObserver observing = observer;
                if (observing != null) {
                    observing.connected(opened.describe(), !first);
                }
                reconnectAttempt = 0;
                failedAttempts[addressIndex % addresses.size()] = 0;
                DefaultStompClient.this.connectedFrame = connectedFrame;
                tellObservers(observer -> observer.connected(connectedFrame));
                setState(ConnectionState.CONNECTED);
                reportDegraded(false);
                // Without waiting for room (this runs under the lock): what is held is bounded by heldSendLimit.
                for (ClientSubscription subscription : subscriptions.values()) {
                    opened.sendNow(subscription.subscribeFrame());
                }
                for (HeldFrames.Held frame : held.drain()) {
                    if (frame.receipt() == null) {
                        opened.sendNow(frame.frame());
                    } else {
                        pipe(opened.sendWithReceiptNow(frame.frame(), settings.receiptTimeout().toMillis()),
                                frame.receipt());
                    }
                }
                onConnect = first ? connectCallback : null;
                future = connectFuture;
            }
            onClientLane(() -> {
                if (onConnect != null) {
                    onConnect.accept(connectedFrame);
                }
                if (future != null) {
                    future.complete(connectedFrame);
                }
            });
        }

        @Override
        public void message(StompConnection from, Frame frame) {
            String id = frame.header("subscription");
            ClientSubscription subscription = id == null ? null : subscriptions.get(id);
            if (subscription == null) {
                Consumer<StompMessage> handler = settings.unhandledHandler();
                if (handler == null) {
                    log.debug("Ignoring MESSAGE for unknown subscription '{}' from {}", id, from.describe());
                } else {
                    // Not "auto": such a reply may well need acknowledging (its ack header says so on 1.2).
                    InboundMessage message = new InboundMessage(frame, from, "client");
                    onClientLane(() -> handler.accept(message));
                }
                return;
            }
            subscription.deliver(new InboundMessage(frame, from, subscription.ackMode()));
        }

        @Override
        public void closed(StompConnection ended, @Nullable StompException failure, @Nullable Frame errorFrame) {
            synchronized (lock) {
                if (ended != connection) {
                    return;
                }
                connection = null;
                connectedFrame = null;
                ended(failure, errorFrame);
            }
        }

        void failedBeforeOpening(StompException failure) {
            synchronized (lock) {
                if (connection == null && (state == ConnectionState.CONNECTING || state == ConnectionState.RECONNECTING)) {
                    ended(failure, null);
                }
            }
        }

        private void ended(@Nullable StompException failure, @Nullable Frame errorFrame) {
            transactions.clear();
            if (failure != null) {
                StompObserver observing = observer;
                if (observing != null) {
                    observing.connectionFailed(address().describe(), failure, state == ConnectionState.CONNECTED);
                }
                reportError(failure, errorFrame);
                if (state != ConnectionState.CONNECTED) {
                    attemptFailed();
                }
                addressIndex = (addressIndex + 1) % addresses.size(); // fail over: next attempt, next address
            }
            int maxAttempts = settings.maxReconnectAttempts();
            if (failure != null && !disconnecting && !closed && settings.reconnectDelay() > 0
                    && (maxAttempts == 0 || reconnectAttempt < maxAttempts)) {
                setState(ConnectionState.RECONNECTING);
                scheduleReconnect();
                return;
            }
            if (failure != null) {
                tellObservers(observer -> observer.gaveUp(failure));
            }
            failConnectFuture(failure != null ? failure : new StompConnectionException(
                    "Connecting to " + address().describe() + " was cancelled by disconnect()", null));
            releaseHeld(failure != null ? "reconnecting gave up after " + reconnectAttempt + " attempts"
                    : "the client disconnected");
            setState(ConnectionState.DISCONNECTED);
            reportDegraded(false);
        }

        /**
         * A SEND's receipt timed out on a connection that still looks alive: the broker has stopped confirming
         * (RabbitMQ 3.10 rejects every publish of a channel opened while a quorum queue elects its leader, and
         * Web-STOMP drops the rejections). With reconnect on, that connection is ended as failed, so the
         * application hears it (errorCallback, RECONNECTING, the other receipts fail) and a new connection, to
         * the next URL, takes over. Without reconnect only the future fails. watchForReceipt's own ids and
         * DISCONNECT are left alone: a watched id may never have been sent.
         */
        @Override
        public void receiptTimedOut(StompConnection from, String command, StompTimeoutException timeout) {
            synchronized (lock) {
                if (from != connection || state != ConnectionState.CONNECTED || disconnecting || closed
                        || settings.reconnectDelay() <= 0 || !command.equals("SEND")) {
                    return;
                }
            }
            from.failWith(new StompTimeoutException("Receipts stopped coming from " + from.describe()
                    + " on a connection that is otherwise up (" + timeout.getMessage() + "); reconnecting. "
                    + "Resend what was not receipted; on a RabbitMQ cluster a quorum queue may be electing a leader"));
        }

        @Override
        public void degraded(StompConnection from, boolean degraded) {
            synchronized (lock) {
                if (from == connection) {
                    reportDegraded(degraded);
                }
            }
        }
    }

    /** Under lock: tells the degraded listener about a change, and only a change. */
    private void reportDegraded(boolean degraded) {
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

    /** Hands what was held and will never be sent to the user (or the log); fails their receipts. */
    private void releaseHeld(String why) {
        List<HeldFrames.Held> unsent = held.drain();
        if (unsent.isEmpty()) {
            return;
        }
        StompConnectionException failure = new StompConnectionException(unsent.size()
                + " held frame(s) were not sent to " + address().describe() + ": " + why, null);
        List<StompFrame> frames = new java.util.ArrayList<>(unsent.size());
        for (HeldFrames.Held frame : unsent) {
            frames.add(frame.frame());
            if (frame.receipt() != null) {
                onClientLane(() -> frame.receipt().completeExceptionally(failure));
            }
        }
        Consumer<List<StompFrame>> handler = settings.unsentHandler();
        if (handler != null) {
            onClientLane(() -> handler.accept(List.copyOf(frames)));
        } else {
            log.warn("{}; set StompClient.onUnsent(...) to receive them", failure.getMessage());
        }
    }

    @Override
    public String toString() {
        return "StompClient[" + address().describe() + ", " + state() + "]";
    }
}
