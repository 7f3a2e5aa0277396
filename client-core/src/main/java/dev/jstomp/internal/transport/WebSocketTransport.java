package dev.jstomp.internal.transport;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.AbstractClientSockJsSession;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompProtocolException;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;

/**
 * STOMP over WebSocket through Spring's {@code WebSocketStompClient}: Spring runs the handshake and the
 * session life cycle; inbound frames are decoded by {@link WebSocketFrameReader}. Outbound frames are written by jstomp straight to the
 * {@code WebSocketSession}, captured by a decorator at handshake time, because Spring's own path sends
 * every non-octet-stream body as a text message, which mangles binary bodies, and writes on the caller's
 * thread. Frames larger than the outbound message limit are split across WebSocket messages, which
 * STOMP allows and Artemis (whose acceptor limits client frames to 64 KiB by default) reassembles.
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
                    super.afterConnectionEstablished(s);
                }

                /** Decoded here rather than by Spring's adapter, whose decoder loses frames before a bad one. */
                @Override
                public void handleMessage(WebSocketSession s, WebSocketMessage<?> message) {
                    List<Frame> frames;
                    try {
                        frames = reader.read(message);
                    } catch (RuntimeException e) {
                        handler.onFailure(e);
                        return;
                    }
                    for (Frame frame : frames) {
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

        /** Says why the broker (or Tyrus) closed, where the close status tells more than "closed". */
        private @Nullable RuntimeException closeFailure(CloseStatus status) {
            int code = status.getCode();
            String reason = status.getReason() == null || status.getReason().isBlank() ? "" : " '" + status.getReason() + "'";
            // Tyrus closes with 1009, or with 1011 "Buffer overflow." when its incoming buffer is exceeded.
            if (code == CloseStatus.TOO_BIG_TO_PROCESS.getCode()
                    || (code == CloseStatus.SERVER_ERROR.getCode() && "Buffer overflow.".equals(status.getReason()))) {
                return SizeLimitedStompCodec.tooLarge(maxFrameSize);
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
            return new WebSocketSink(s, connection, maxOutboundMessageSize);
        }
    }

    /** Writes synchronously (Tyrus's basic remote); the connection calls it from its writer lane only. */
    private record WebSocketSink(WebSocketSession session, TcpConnection<byte[]> connection, int maxMessageSize)
            implements FrameSink {

        @Override
        public void write(Frame frame) throws IOException {
            byte[] bytes = FrameEncoder.encode(frame);
            // SockJS carries text only, and frames whole.
            boolean sockJs = session instanceof AbstractClientSockJsSession;
            if (sockJs || (bytes.length <= maxMessageSize && isText(frame.bodyBytes()))) {
                session.sendMessage(new TextMessage(bytes));
            } else if (bytes.length <= maxMessageSize) {
                session.sendMessage(new BinaryMessage(bytes));
            } else {
                for (int from = 0; from < bytes.length; from += maxMessageSize) {
                    byte[] part = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + maxMessageSize));
                    session.sendMessage(new BinaryMessage(part));
                }
            }
        }

        @Override
        public void writeHeartbeat() throws IOException {
            session.sendMessage(new TextMessage("\n"));
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (RuntimeException e) {
                // Already closed by the broker, or Tyrus shutting down (tyrus#640): closed either way.
            }
        }

        /** Text when the body is NUL-free UTF-8; anything else goes as a binary message, byte for byte. */
        private static boolean isText(byte[] body) {
            boolean ascii = true;
            for (byte b : body) {
                if (b == 0) {
                    return false;
                }
                ascii &= b > 0;
            }
            if (ascii) {
                return true;
            }
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }
    }
}
