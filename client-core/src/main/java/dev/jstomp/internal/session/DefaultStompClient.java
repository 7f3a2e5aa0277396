package dev.jstomp.internal.session;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.jstomp.ConnectionState;
import dev.jstomp.Heartbeat;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.StompResources;
import dev.jstomp.Subscription;
import dev.jstomp.Transaction;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.Headers;
import dev.jstomp.internal.transport.TransportFactory;

/**
 * The {@link StompClient}: its configuration ({@link Settings}) and the calls of its API, each handed to the
 * class whose job it is: {@link ConnectionLifecycle} (connecting, disconnecting, closing; with
 * {@link Reconnector} and {@link ConnectionEvents}), {@link SendPath} (sends and receipts) and
 * {@link SubscriptionRegistry}. One {@link StompConnection} at a time does the protocol work.
 */
public final class DefaultStompClient implements StompClient {

    private static final byte[] EMPTY = new byte[0];

    private final Settings settings = new Settings(this::busy);
    private final ConnectionLifecycle lifecycle;
    private final SendPath sends;
    private final SubscriptionRegistry subscriptions;
    /** The life cycle's: it clears them when their connection ends. */
    private final Map<String, ClientTransaction> transactions;
    private final AtomicLong transactionIds = new AtomicLong();

    /** @param addresses one broker address, or several to fail over between, in order */
    public DefaultStompClient(List<TransportFactory> addresses) {
        this.lifecycle = new ConnectionLifecycle(this, addresses, settings);
        this.sends = lifecycle.sends;
        this.subscriptions = lifecycle.subscriptions;
        this.transactions = lifecycle.transactions;
    }

    private boolean busy() {
        return lifecycle.busy();
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
        return lifecycle.reconnectAttempt();
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
        return lifecycle.connectedTo();
    }

    @Override
    public StompClient onStateChange(@Nullable Consumer<ConnectionState> listener) {
        settings.stateListener(listener);
        return this;
    }

    @Override
    public StompClient observe(StompObserver added) {
        Objects.requireNonNull(added, "observer");
        lifecycle.addObserver(added);
        added.attached(new ClientStats());
        return this;
    }

    /** The observer's gauges: plain reads of what the client keeps anyway. */
    private final class ClientStats implements StompObserver.Stats {
        @Override
        public String address() {
            return lifecycle.reconnect.firstAddress().describe();
        }

        @Override
        public long inboundBacklogBytes() {
            StompConnection current = lifecycle.currentConnection();
            return current == null ? 0 : current.backlog().bytes();
        }

        @Override
        public long outboundBufferedBytes() {
            StompConnection current = lifecycle.currentConnection();
            return current == null ? 0 : current.outbound().queued();
        }

        @Override
        public int heldSends() {
            return sends.held().size();
        }

        @Override
        public long heldSendBytes() {
            return sends.held().bytes();
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
        lifecycle.resources(resources);
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
        return lifecycle.connectAsync(headers);
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
        return lifecycle.start(headers, onConnect, onError);
    }

    @Override
    public boolean connected() {
        return lifecycle.connected();
    }

    @Override
    public ConnectionState state() {
        return lifecycle.state();
    }

    @Override
    public void disconnect(Runnable disconnectCallback) {
        Objects.requireNonNull(disconnectCallback, "disconnectCallback");
        disconnectAsync().thenRun(() -> lifecycle.onClientLane(disconnectCallback));
    }

    @Override
    public void disconnect() {
        disconnectAsync();
    }

    @Override
    public CompletableFuture<Void> disconnectAsync() {
        return lifecycle.disconnectAsync();
    }

    @Override
    public void close() {
        lifecycle.close();
    }

    // --- messaging ---

    @Override
    public void send(String destination, Map<String, String> headers, String body) {
        Objects.requireNonNull(body, "body");
        send(destination, headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void send(String destination, Map<String, String> headers, byte[] body) {
        sends.send(destination, headers, body);
    }

    @Override
    public CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, byte[] body) {
        return sends.sendWithReceipt(destination, headers, body);
    }

    @Override
    public CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, String body) {
        Objects.requireNonNull(body, "body");
        return sendWithReceipt(destination, headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<StompFrame> watchForReceipt(String receiptId) {
        return sends.watchForReceipt(receiptId);
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
        return subscriptions.subscribe(destination, callback, headers);
    }

    @Override
    public void unsubscribe(String id) {
        unsubscribe(id, Map.of());
    }

    @Override
    public void unsubscribe(String id, Map<String, String> headers) {
        subscriptions.unsubscribe(id, headers);
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
        StompConnection current = lifecycle.requireConnection("BEGIN");
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

    AutoCloseable observe(ClientHooks.Lifecycle observer) {
        return lifecycle.observe(observer);
    }

    @Nullable StompFrame connectedFrame() {
        return lifecycle.connectedFrame;
    }

    boolean isClosed() {
        return lifecycle.isClosed();
    }

    @Override
    public String toString() {
        return "StompClient[" + lifecycle.reconnect.address().describe() + ", " + state() + "]";
    }
}
