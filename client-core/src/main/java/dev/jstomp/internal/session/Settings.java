package dev.jstomp.internal.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import dev.jstomp.ConnectionState;
import dev.jstomp.Heartbeat;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;

/**
 * A client's settings: changed fluently before {@code connect}, frozen while a connection is open or
 * being opened (the guard says when).
 */
final class Settings implements Heartbeat {

    static final int DEFAULT_MAX_FRAME_SIZE = 32 * 1024 * 1024;
    static final int DEFAULT_WEBSOCKET_MESSAGE_SIZE = 64 * 1024;
    static final long DEFAULT_OUTBOUND_BUFFER_LIMIT = 32L * 1024 * 1024;

    private final BooleanSupplier frozen;

    private volatile long heartbeatOutgoing = 10_000;
    private volatile long heartbeatIncoming = 10_000;
    private volatile @Nullable Consumer<String> debug;
    private volatile long reconnectDelay;
    private volatile long maxReconnectDelay = 30_000;
    private volatile int maxReconnectAttempts;
    private volatile int heldMessages = 10_000;
    private volatile long heldBytes = 64L * 1024 * 1024;
    private volatile @Nullable Consumer<List<StompFrame>> unsentHandler;
    private volatile @Nullable Consumer<Boolean> degradedListener;
    private volatile @Nullable Consumer<StompMessage> unhandledHandler;
    private volatile double heartbeatTolerance = 2.0;
    private volatile @Nullable SSLContext sslContext;
    private volatile @Nullable Consumer<ConnectionState> stateListener;
    private volatile @Nullable Executor callbackExecutor;
    private volatile Duration connectTimeout = Duration.ofSeconds(10);
    private volatile Duration receiptTimeout = Duration.ofSeconds(5);
    private volatile int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private volatile int webSocketMessageSize = DEFAULT_WEBSOCKET_MESSAGE_SIZE;
    private volatile @Nullable Supplier<Map<String, String>> beforeConnect;
    private volatile long outboundBufferLimit = DEFAULT_OUTBOUND_BUFFER_LIMIT;
    private volatile Duration sendTimeout = Duration.ofSeconds(30);

    Settings(BooleanSupplier frozen) {
        this.frozen = frozen;
    }

    private void checkMutable(String what) {
        if (frozen.getAsBoolean()) {
            throw new IllegalStateException("Cannot change " + what + " while connected or connecting; "
                    + "set it before connect()");
        }
    }

    private static long nonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + value);
        }
        return value;
    }

    private static Duration positive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }

    private static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }

    @Override
    public long outgoing() {
        return heartbeatOutgoing;
    }

    @Override
    public long incoming() {
        return heartbeatIncoming;
    }

    @Override
    public Heartbeat outgoing(long millis) {
        checkMutable("heartbeat");
        heartbeatOutgoing = nonNegative(millis, "heartbeat outgoing");
        return this;
    }

    @Override
    public Heartbeat incoming(long millis) {
        checkMutable("heartbeat");
        heartbeatIncoming = nonNegative(millis, "heartbeat incoming");
        return this;
    }

    @Override
    public String toString() {
        return "Heartbeat[outgoing=" + heartbeatOutgoing + ", incoming=" + heartbeatIncoming + "]";
    }

    @Nullable Consumer<String> debug() {
        return debug;
    }

    void debug(@Nullable Consumer<String> hook) {
        checkMutable("debug");
        debug = hook;
    }

    long reconnectDelay() {
        return reconnectDelay;
    }

    void reconnectDelay(long millis) {
        checkMutable("reconnectDelay");
        reconnectDelay = nonNegative(millis, "reconnectDelay");
    }

    long maxReconnectDelay() {
        return maxReconnectDelay;
    }

    void maxReconnectDelay(long millis) {
        checkMutable("reconnectMaxDelay");
        if (millis <= 0) {
            throw new IllegalArgumentException("reconnectMaxDelay must be positive, was " + millis);
        }
        maxReconnectDelay = millis;
    }

    int maxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    void maxReconnectAttempts(int attempts) {
        checkMutable("reconnectMaxAttempts");
        maxReconnectAttempts = (int) nonNegative(attempts, "reconnectMaxAttempts");
    }

    int heldMessages() {
        return heldMessages;
    }

    long heldBytes() {
        return heldBytes;
    }

    void heldSendLimit(int messages, long bytes) {
        checkMutable("heldSendLimit");
        heldMessages = (int) nonNegative(messages, "held messages");
        heldBytes = nonNegative(bytes, "held bytes");
    }

    @Nullable Consumer<List<StompFrame>> unsentHandler() {
        return unsentHandler;
    }

    void unsentHandler(@Nullable Consumer<List<StompFrame>> handler) {
        checkMutable("onUnsent");
        unsentHandler = handler;
    }

    @Nullable Consumer<StompMessage> unhandledHandler() {
        return unhandledHandler;
    }

    void unhandledHandler(@Nullable Consumer<StompMessage> handler) {
        checkMutable("onUnhandledMessage");
        unhandledHandler = handler;
    }

    @Nullable Consumer<Boolean> degradedListener() {
        return degradedListener;
    }

    void degradedListener(@Nullable Consumer<Boolean> listener) {
        checkMutable("onConnectionDegraded");
        degradedListener = listener;
    }

    @Override
    public double tolerance() {
        return heartbeatTolerance;
    }

    @Override
    public Heartbeat tolerance(double multiple) {
        checkMutable("heartbeat");
        if (!(multiple >= 1.5)) {
            throw new IllegalArgumentException("heartbeat tolerance must be at least 1.5 (the degraded signal "
                    + "fires at 1.5x), was " + multiple);
        }
        heartbeatTolerance = multiple;
        return this;
    }

    @Nullable SSLContext sslContext() {
        return sslContext;
    }

    void sslContext(@Nullable SSLContext context) {
        checkMutable("sslContext");
        sslContext = context;
    }

    @Nullable Consumer<ConnectionState> stateListener() {
        return stateListener;
    }

    void stateListener(@Nullable Consumer<ConnectionState> listener) {
        checkMutable("onStateChange");
        stateListener = listener;
    }

    @Nullable Executor callbackExecutor() {
        return callbackExecutor;
    }

    void callbackExecutor(@Nullable Executor executor) {
        checkMutable("callbackExecutor");
        callbackExecutor = executor;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    void connectTimeout(Duration timeout) {
        checkMutable("connectTimeout");
        connectTimeout = positive(timeout, "connectTimeout");
    }

    Duration receiptTimeout() {
        return receiptTimeout;
    }

    void receiptTimeout(Duration timeout) {
        checkMutable("receiptTimeout");
        receiptTimeout = positive(timeout, "receiptTimeout");
    }

    long outboundBufferLimit() {
        return outboundBufferLimit;
    }

    void outboundBufferLimit(long bytes) {
        checkMutable("outboundBufferLimit");
        if (bytes <= 0) {
            throw new IllegalArgumentException("outboundBufferLimit must be positive, was " + bytes);
        }
        outboundBufferLimit = bytes;
    }

    Duration sendTimeout() {
        return sendTimeout;
    }

    void sendTimeout(Duration timeout) {
        checkMutable("sendTimeout");
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("sendTimeout must be zero or positive, was " + timeout);
        }
        sendTimeout = timeout;
    }

    int maxFrameSize() {
        return maxFrameSize;
    }

    void maxFrameSize(int bytes) {
        checkMutable("maxFrameSize");
        maxFrameSize = positive(bytes, "maxFrameSize");
    }

    int webSocketMessageSize() {
        return webSocketMessageSize;
    }

    void webSocketMessageSize(int bytes) {
        checkMutable("webSocketMessageSize");
        webSocketMessageSize = positive(bytes, "webSocketMessageSize");
    }

    @Nullable Supplier<Map<String, String>> beforeConnect() {
        return beforeConnect;
    }

    void beforeConnect(@Nullable Supplier<Map<String, String>> supplier) {
        checkMutable("beforeConnect");
        beforeConnect = supplier;
    }
}
