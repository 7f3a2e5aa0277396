package dev.jstomp.internal.transport;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompProtocolException;
import dev.jstomp.internal.frame.Frame;

/**
 * STOMP over WebSocket through Spring's {@code WebSocketStompClient}: Spring runs the handshake and the
 * session life cycle; inbound frames are decoded by {@link WebSocketFrameReader}. Outbound frames are written
 * by jstomp's {@link WebSocketSink} straight to the {@code WebSocketSession}, captured by a decorator at
 * handshake time, because Spring's own path sends every non-octet-stream body as a text message, which
 * mangles binary bodies, writes on the caller's thread, and sends one message per frame where a broker
 * that reads a stream takes a batch (the sink coalesces once CONNECTED names such a broker).
 */
public final class WebSocketTransport implements Transport {

    private static final StompSessionHandler UNUSED = new StompSessionHandlerAdapter() { };

    private final URI uri;
    private final List<String> protocols;
    private final WebSocketClient webSocketClient;
    private final int maxFrameSize;
    private final int maxOutboundMessageSize;
    private final Runnable onShutdown;

    /**
     * @param webSocketClient the Spring client (jstomp's Tyrus-backed one, or the user's own)
     * @param onShutdown releases what jstomp created for this transport; a no-op for a user's client
     */
    public WebSocketTransport(URI uri, List<String> protocols, WebSocketClient webSocketClient,
            int maxFrameSize, int maxOutboundMessageSize, Runnable onShutdown) {
        this.uri = uri;
        this.protocols = List.copyOf(protocols);
        this.webSocketClient = webSocketClient;
        this.maxFrameSize = maxFrameSize;
        this.maxOutboundMessageSize = maxOutboundMessageSize;
        this.onShutdown = onShutdown;
    }

    @Override
    public String describe() {
        return Urls.withoutUserInfo(uri) + " (WebSocket)";
    }

    @Override
    public void open(TransportHandler handler) {
        Capture capture = new Capture(handler);
        SpringSessionAdapter session = new SpringSessionAdapter(handler, capture::sink);
        WebSocketStompClient stompClient = new WebSocketStompClient(capture.decorating(webSocketClient)) {
            @Override
            protected ConnectionHandlingStompSession createSession(StompHeaders headers, StompSessionHandler h) {
                return session;
            }
        };
        WebSocketHttpHeaders handshakeHeaders = new WebSocketHttpHeaders();
        if (!protocols.isEmpty()) {
            handshakeHeaders.setSecWebSocketProtocol(protocols);
        }
        try {
            stompClient.connectAsync(uri, handshakeHeaders, null, UNUSED);
        } catch (RuntimeException e) {
            handler.onOpenFailure(e);
        }
    }

    @Override
    public void shutdown() {
        onShutdown.run();
    }

    /**
     * Sits between Spring and the jstomp connection for one connection: keeps the WebSocketSession for
     * writes and turns a close status of 1009 (message too big) into a clear failure.
     */
    private final class Capture {
        private final TransportHandler handler;
        private volatile @Nullable WebSocketSession session;
        private volatile @Nullable WebSocketSink sink;

        Capture(TransportHandler handler) {
            this.handler = handler;
        }

        WebSocketClient decorating(WebSocketClient client) {
            return new WebSocketClient() {
                @Override
                public CompletableFuture<WebSocketSession> execute(WebSocketHandler h, String uriTemplate,
                        @Nullable Object... uriVariables) {
                    return client.execute(decorate(h), uriTemplate, uriVariables);
                }

                @Override
                public CompletableFuture<WebSocketSession> execute(WebSocketHandler h,
                        @Nullable WebSocketHttpHeaders headers, URI target) {
                    return client.execute(decorate(h), headers, target);
                }
            };
        }

        private WebSocketHandler decorate(WebSocketHandler delegate) {
            WebSocketFrameReader reader = new WebSocketFrameReader(maxFrameSize);
            return new WebSocketHandlerDecorator(delegate) {
                @Override
                public void afterConnectionEstablished(WebSocketSession s) throws Exception {
                    session = s;
                    neverIdleOut(s);
                    super.afterConnectionEstablished(s);
                }

                /**
                 * Parts as they come: the reader reads a stream anyway, and Tyrus hands parts straight to
                 * the handler, where a whole message first goes through its decoder look-up every time.
                 */
                @Override
                public boolean supportsPartialMessages() {
                    return true;
                }

                /** Decoded here rather than by Spring's adapter, whose decoder loses frames before a bad one. */
                @Override
                public void handleMessage(WebSocketSession s, WebSocketMessage<?> message) {
                    // Each message is a sign of life, also a part of a frame too large to arrive within a beat.
                    handler.onActivity();
                    List<Frame> frames;
                    try {
                        frames = reader.read(message);
                    } catch (RuntimeException e) {
                        handler.onFailure(e);
                        return;
                    }
                    for (Frame frame : frames) {
                        if ("CONNECTED".equals(frame.command())) {
                            // Before the connection sees it: what it sends after CONNECTED may already coalesce.
                            WebSocketSink current = sink;
                            if (current != null) {
                                current.connectedTo(frame.header("server"));
                            }
                        }
                        handler.onFrame(frame);
                    }
                    RuntimeException failure = reader.failureAfterFrames();
                    if (failure != null) {
                        handler.onFailure(failure);
                    }
                }

                @Override
                public void afterConnectionClosed(WebSocketSession s, CloseStatus status) throws Exception {
                    RuntimeException failure = closeFailure(status);
                    if (failure != null) {
                        handler.onFailure(failure);
                    }
                    super.afterConnectionClosed(s, status);
                }
            };
        }

        /**
         * A JSR-356 idle timeout of 0 and one below 0 both mean none, but Tyrus, at 0, still schedules a
         * no-op timeout task on every message sent or received (TyrusSession.restartIdleTimeoutExecutor);
         * below 0 it schedules nothing. Liveness is jstomp's heart-beats' job.
         */
        private static void neverIdleOut(WebSocketSession s) {
            if (s instanceof NativeWebSocketSession nativeSession
                    && nativeSession.getNativeSession() instanceof Session jsr356 && jsr356.getMaxIdleTimeout() == 0) {
                jsr356.setMaxIdleTimeout(-1);
            }
        }

        /** Says why the broker (or Tyrus) closed, where the close status tells more than "closed". */
        private @Nullable RuntimeException closeFailure(CloseStatus status) {
            int code = status.getCode();
            String reason = status.getReason() == null || status.getReason().isBlank() ? "" : " '" + status.getReason() + "'";
            // Tyrus closes with 1009, or with 1011 "Buffer overflow." when its incoming buffer is exceeded.
            if (code == CloseStatus.TOO_BIG_TO_PROCESS.getCode()
                    || (code == CloseStatus.SERVER_ERROR.getCode() && "Buffer overflow.".equals(status.getReason()))) {
                return InboundFrameCodec.tooLarge(maxFrameSize);
            }
            if (code == CloseStatus.BAD_DATA.getCode()) {
                return new StompProtocolException("Connection to " + describe() + " closed with WebSocket status 1007"
                        + reason + ": a text message was not valid UTF-8 (a broker sending binary bodies in text "
                        + "frames; on RabbitMQ set web_stomp.ws_frame = binary)", null);
            }
            if (code != CloseStatus.NORMAL.getCode() || !reason.isEmpty()) {
                return new StompConnectionException("Connection to " + describe() + " closed by the broker with "
                        + "WebSocket status " + code + reason, null);
            }
            return null;
        }

        FrameSink sink(TcpConnection<byte[]> connection) {
            WebSocketSession s = session;
            if (s == null) {
                throw new IllegalStateException("WebSocket session was not captured at handshake");
            }
            WebSocketSink created = new WebSocketSink(s, WebSocketSink.tyrusSession(s), connection, handler,
                    maxOutboundMessageSize);
            sink = created;
            return created;
        }
    }
}
