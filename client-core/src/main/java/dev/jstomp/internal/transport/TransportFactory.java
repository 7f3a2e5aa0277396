package dev.jstomp.internal.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import org.springframework.web.socket.client.WebSocketClient;

import dev.jstomp.StompConnectionException;

/**
 * Makes a {@link Transport} for each connection, on the client's resources (event loops, Tyrus clients),
 * which outlive it. A bad address is reported when the
 * connection is attempted, through the same error path as a refused connection.
 */
public interface TransportFactory {

    /** The default WebSocket sub-protocols, most preferred first (Artemis takes the first it knows). */
    List<String> DEFAULT_PROTOCOLS = List.of("v12.stomp", "v11.stomp", "v10.stomp");

    /** The address, for messages, without credentials. */
    String describe();

    /** The URL as the user gave it, without credentials: what {@code connectedTo()} returns. */
    String url();

    /**
     * Builds a transport.
     *
     * @throws StompConnectionException when the address is unusable (bad URL or scheme)
     */
    Transport create(TransportOptions options);

    /** {@code ws://}, {@code wss://} (Tyrus); {@code tcp://}, {@code stomp://}, {@code stomp+ssl://} (Reactor Netty). */
    static TransportFactory forUrl(String url, List<String> protocols) {
        List<String> offered = protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        String described = describeRaw(url);
        return new TransportFactory() {
            @Override
            public String describe() {
                return described;
            }

            @Override
            public String url() {
                return Urls.withoutUserInfo(url);
            }

            @Override
            public Transport create(TransportOptions options) {
                URI uri = parse(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                return switch (scheme) {
                    case "ws", "wss" -> tyrus(uri, offered, options);
                    case "tcp", "stomp" -> tcp(hostOf(uri), portOf(uri, false), false, options);
                    case "stomp+ssl", "ssl", "stomp+tls", "tls" -> tcp(hostOf(uri), portOf(uri, true), true, options);
                    default -> throw new StompConnectionException("Cannot connect to " + described
                            + ": unsupported URL scheme '" + scheme + "'; use ws://, wss://, tcp://, stomp:// "
                            + "or stomp+ssl://", null);
                };
            }
        };
    }

    /** Raw TCP to host:port. */
    static TransportFactory forTcp(String host, int port) {
        return new TransportFactory() {
            @Override
            public String describe() {
                return host + ":" + port + " (TCP)";
            }

            @Override
            public String url() {
                return "tcp://" + host + ":" + port;
            }

            @Override
            public Transport create(TransportOptions options) {
                if (port <= 0 || port > 65535) {
                    throw new StompConnectionException("Cannot connect to " + describe() + ": invalid port", null);
                }
                return tcp(host, port, false, options);
            }
        };
    }

    /** Any Spring {@link WebSocketClient} the user brings (SockJsClient included); jstomp does not shut it down. */
    static TransportFactory forWebSocketClient(WebSocketClient client, String url, List<String> protocols) {
        List<String> offered = protocols.isEmpty() ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
        return new TransportFactory() {
            @Override
            public String describe() {
                return describeRaw(url);
            }

            @Override
            public String url() {
                return Urls.withoutUserInfo(url);
            }

            @Override
            public Transport create(TransportOptions options) {
                return new WebSocketTransport(parse(url), offered, client, options.maxFrameSize(),
                        options.webSocketMessageSize(), () -> { });
            }
        };
    }

    private static Transport tcp(String host, int port, boolean tls, TransportOptions options) {
        return new TcpTransport(host, port, options.maxFrameSize(), options.connectTimeout(), tls,
                options.sslContext(), options.pools().loops());
    }

    private static Transport tyrus(URI uri, List<String> protocols, TransportOptions options) {
        if (uri.getHost() == null) {
            throw new StompConnectionException("Cannot connect to " + Urls.withoutUserInfo(uri)
                    + ": the URL has no host", null);
        }
        // Room for the largest accepted STOMP frame plus WebSocket framing; Spring enforces the exact limit. The
        // handshake timeout a little longer than jstomp's own connect timeout, so that one reports (more clearly).
        WebSocketClient client = options.pools().webSocketClient(options.maxFrameSize() + 64 * 1024,
                options.connectTimeout().plusSeconds(1), options.sslContext());
        return new WebSocketTransport(uri, protocols, client, options.maxFrameSize(),
                options.webSocketMessageSize(), () -> { });
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new StompConnectionException("Cannot connect to " + describeRaw(url) + ": malformed URL ("
                    + Urls.withoutUserInfo(e.getReason()) + ")", null);
        }
    }

    private static String hostOf(URI uri) {
        if (uri.getHost() == null) {
            throw new StompConnectionException("Cannot connect to " + Urls.withoutUserInfo(uri)
                    + ": the URL has no host; use tcp://host:port", null);
        }
        return uri.getHost();
    }

    /** STOMP's customary ports: 61613 plain, 61614 over TLS (RabbitMQ, ActiveMQ). */
    private static int portOf(URI uri, boolean tls) {
        return uri.getPort() > 0 ? uri.getPort() : tls ? 61614 : 61613;
    }

    private static String describeRaw(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        String kind = lower.startsWith("ws") ? "WebSocket"
                : lower.startsWith("stomp+") || lower.startsWith("ssl") || lower.startsWith("tls") ? "TCP with TLS"
                : lower.startsWith("tcp") || lower.startsWith("stomp") ? "TCP" : "unknown transport";
        return Urls.withoutUserInfo(url) + " (" + kind + ")";
    }
}
