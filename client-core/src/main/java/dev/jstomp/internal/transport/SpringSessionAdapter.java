package dev.jstomp.internal.transport;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.tcp.TcpConnection;

/**
 * Plugs a jstomp connection into Spring's STOMP clients through their extension point,
 * {@code StompClientSupport.createSession}. Spring's clients drive the transport; jstomp reads frames itself (its codec over TCP, its frame
 * reader over WebSocket) and the
 * jstomp connection does the STOMP session work (CONNECT, receipts, heart-beats, dispatch, transactions).
 *
 * <p>Only the {@code TcpConnectionHandler} half is used. The {@code StompSession} half is Spring's
 * user-facing session API, which jstomp replaces with its own; nobody calls it, so it refuses.
 */
final class SpringSessionAdapter implements ConnectionHandlingStompSession {

    private final TransportHandler handler;
    private final Function<TcpConnection<byte[]>, FrameSink> sinks;
    private final CompletableFuture<StompSession> unused = new CompletableFuture<>();

    SpringSessionAdapter(TransportHandler handler, Function<TcpConnection<byte[]>, FrameSink> sinks) {
        this.handler = handler;
        this.sinks = sinks;
    }

    @Override
    public void afterConnected(TcpConnection<byte[]> connection) {
        handler.onOpen(sinks.apply(connection));
    }

    @Override
    public void afterConnectFailure(Throwable ex) {
        handler.onOpenFailure(ex);
    }

    @Override
    public void handleMessage(Message<byte[]> message) {
        // Never called: jstomp's codec (TCP) and frame reader (WebSocket) deliver frames to the connection.
        throw notUsed();
    }

    @Override
    public void handleFailure(Throwable ex) {
        handler.onFailure(ex);
    }

    @Override
    public void afterConnectionClosed() {
        handler.onClosed();
    }

    @Override
    public CompletableFuture<StompSession> getSession() {
        return unused;
    }

    @Override
    public String getSessionId() {
        return "jstomp";
    }

    @Override
    public StompHeaderAccessor getConnectHeaders() {
        throw notUsed();
    }

    @Override
    public boolean isConnected() {
        throw notUsed();
    }

    @Override
    public void setAutoReceipt(boolean enabled) {
        throw notUsed();
    }

    @Override
    public Receiptable send(String destination, Object payload) {
        throw notUsed();
    }

    @Override
    public Receiptable send(StompHeaders headers, Object payload) {
        throw notUsed();
    }

    @Override
    public Subscription subscribe(String destination, StompFrameHandler handler) {
        throw notUsed();
    }

    @Override
    public Subscription subscribe(StompHeaders headers, StompFrameHandler handler) {
        throw notUsed();
    }

    @Override
    public Receiptable acknowledge(String messageId, boolean consumed) {
        throw notUsed();
    }

    @Override
    public Receiptable acknowledge(StompHeaders headers, boolean consumed) {
        throw notUsed();
    }

    @Override
    public void disconnect() {
        throw notUsed();
    }

    @Override
    public void disconnect(StompHeaders headers) {
        throw notUsed();
    }

    private static UnsupportedOperationException notUsed() {
        return new UnsupportedOperationException("jstomp drives the session itself; use dev.jstomp.StompClient");
    }
}
