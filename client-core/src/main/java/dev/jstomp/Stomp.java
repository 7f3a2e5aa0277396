package dev.jstomp;

import java.util.List;
import java.util.Objects;

import org.springframework.web.socket.client.WebSocketClient;

import dev.jstomp.internal.session.DefaultStompClient;
import dev.jstomp.internal.transport.TransportFactory;

/**
 * The way in, as in stomp.js: {@code Stomp.client(url)}, {@code Stomp.over(...)}, {@code Stomp.overTCP(...)},
 * {@code Stomp.overWS(...)}.
 *
 * <pre>{@code
 * StompClient client = Stomp.client("ws://localhost:61614/stomp");
 * client.connect("guest", "guest", connected -> {
 *     client.subscribe("/queue/greetings", message -> System.out.println(message.body()));
 *     client.send("/queue/greetings", Map.of(), "Hello, STOMP");
 * }, error -> System.err.println(error.message()));
 * }</pre>
 *
 * <p>Creating a client opens nothing; the address is checked when {@code connect} is called, and a bad
 * one is reported through the error callback like any other connection failure.
 */
public final class Stomp {

    private Stomp() {
    }

    /**
     * A client for a URL: {@code ws://} or {@code wss://} (WebSocket through Tyrus, offering the
     * {@code v12.stomp}, {@code v11.stomp} and {@code v10.stomp} sub-protocols), or {@code tcp://host:port}
     * or {@code stomp://host:port} (raw TCP through Reactor Netty).
     *
     * @param url the broker URL
     * @return a new, unconnected client
     */
    public static StompClient client(String url) {
        return new DefaultStompClient(List.of(TransportFactory.forUrl(Objects.requireNonNull(url, "url"), List.of())));
    }

    /**
     * A WebSocket client offering the given sub-protocols, in order of preference.
     *
     * @param url a {@code ws://} or {@code wss://} URL
     * @param protocols sub-protocols such as {@code "v12.stomp"}; none means the default three
     * @return a new, unconnected client
     */
    public static StompClient client(String url, String... protocols) {
        return new DefaultStompClient(List.of(TransportFactory.forUrl(Objects.requireNonNull(url, "url"), List.of(protocols))));
    }

    /**
     * A client that fails over between several brokers: each connection attempt (the first, and every
     * automatic reconnect) takes the next URL in turn; WebSocket and TCP URLs may be mixed.
     * {@link StompClient#connectedTo()} tells which one is in use.
     *
     * @param urls the broker URLs, in order of preference
     * @return a new, unconnected client
     */
    public static StompClient client(List<String> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("At least one URL is needed");
        }
        return new DefaultStompClient(urls.stream()
                .map(url -> TransportFactory.forUrl(Objects.requireNonNull(url, "url"), List.of())).toList());
    }

    /**
     * Same as {@link #client(String)}, for stomp.js's {@code Stomp.overWS}.
     *
     * @param url a {@code ws://} or {@code wss://} URL
     * @return a new, unconnected client
     */
    public static StompClient overWS(String url) {
        return client(url);
    }

    /**
     * A raw TCP client.
     *
     * @param host the broker host
     * @param port the broker's STOMP port, for example 61613
     * @return a new, unconnected client
     */
    public static StompClient overTCP(String host, int port) {
        return new DefaultStompClient(List.of(TransportFactory.forTcp(Objects.requireNonNull(host, "host"), port)));
    }

    /**
     * A client over any Spring {@link WebSocketClient} (a {@code SockJsClient}, or a
     * {@code StandardWebSocketClient} set up your way). jstomp does not shut that client down.
     *
     * @param webSocketClient the WebSocket client to use
     * @param url the endpoint URL
     * @return a new, unconnected client
     */
    public static StompClient over(WebSocketClient webSocketClient, String url) {
        return new DefaultStompClient(List.of(TransportFactory.forWebSocketClient(
                Objects.requireNonNull(webSocketClient, "webSocketClient"), Objects.requireNonNull(url, "url"), List.of())));
    }
}
