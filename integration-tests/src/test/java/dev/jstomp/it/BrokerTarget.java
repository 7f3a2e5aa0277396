package dev.jstomp.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.jstomp.Broker;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * One broker/transport pair for one test invocation (a column of the compatibility table). It makes
 * clients and destination names for that broker, closes every client it made when the invocation ends
 * (JUnit closes AutoCloseable arguments), removes the RabbitMQ queues it named, and takes the note a test
 * leaves when the broker does not support the behaviour.
 */
final class BrokerTarget implements AutoCloseable {

    private static final AtomicLong NAMES = new AtomicLong();

    final Target target;
    private final Supplier<EmbeddedStompBroker> artemis;
    private final List<StompClient> clients = new ArrayList<>();
    private final List<String> rabbitQueues = new ArrayList<>();
    private @Nullable String unsupported;

    BrokerTarget(Target target, Supplier<EmbeddedStompBroker> artemis) {
        this.target = target;
        this.artemis = artemis;
    }

    Broker broker() {
        return target.broker;
    }

    boolean is(Broker broker) {
        return target.broker == broker;
    }

    boolean webSocket() {
        return target.webSocket;
    }

    /** Aborts (locally) or fails (brokers required) when this target's broker does not answer. */
    void requireReachable() {
        switch (target) {
            case ARTEMIS_TCP, ARTEMIS_WS -> artemis.get();
            case RABBITMQ_TCP -> Endpoints.require("RabbitMQ STOMP", Endpoints.RABBITMQ_STOMP);
            case RABBITMQ_WS -> Endpoints.require("RabbitMQ Web-STOMP", Endpoints.RABBITMQ_WEB_STOMP);
            case CLASSIC_TCP -> Endpoints.require("ActiveMQ Classic STOMP", Endpoints.CLASSIC_STOMP);
        }
    }

    /** The STOMP port of this target (in error messages jstomp names it). */
    int port() {
        return switch (target) {
            case ARTEMIS_TCP, ARTEMIS_WS -> artemis.get().port();
            case RABBITMQ_TCP -> Endpoints.RABBITMQ_STOMP;
            case RABBITMQ_WS -> Endpoints.RABBITMQ_WEB_STOMP;
            case CLASSIC_TCP -> Endpoints.CLASSIC_STOMP;
        };
    }

    /** The WebSocket URL, for WebSocket targets. */
    String wsUrl() {
        return switch (target) {
            case ARTEMIS_WS -> artemis.get().wsUrl();
            case RABBITMQ_WS -> Endpoints.RABBITMQ_WS_URL;
            default -> throw new IllegalStateException(target + " is not a WebSocket target");
        };
    }

    /** A new, unconnected client; closed when the test invocation ends. */
    StompClient client() {
        StompClient client = webSocket() ? Stomp.client(wsUrl()) : Stomp.overTCP(Endpoints.HOST, port());
        return track(client);
    }

    /** A new client to this target's broker through another local port (a {@link FaultInjectingProxy}). */
    StompClient clientVia(int localPort) {
        String url = webSocket() ? wsUrl().replace(":" + port() + "/", ":" + localPort + "/") : null;
        return track(url != null ? Stomp.client(url) : Stomp.overTCP(Endpoints.HOST, localPort));
    }

    /** Registers a client made elsewhere so it is closed with the others. */
    StompClient track(StompClient client) {
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    String login() {
        return switch (target.broker) {
            case ARTEMIS -> artemis.get().login();
            case RABBITMQ -> Endpoints.RABBITMQ_USER;
            // Our Classic runs without an authentication plugin: any login is accepted.
            case ACTIVEMQ_CLASSIC -> "jstomp";
        };
    }

    String passcode() {
        return switch (target.broker) {
            case ARTEMIS -> artemis.get().passcode();
            case RABBITMQ -> Endpoints.RABBITMQ_PASSWORD;
            case ACTIVEMQ_CLASSIC -> "unused";
        };
    }

    /** The {@code host} header: RabbitMQ's virtual host; the others ignore it. */
    String host() {
        return target.broker == Broker.RABBITMQ ? Endpoints.RABBITMQ_VHOST : "/";
    }

    /** CONNECT headers with this broker's credentials (and vhost on RabbitMQ). */
    Map<String, String> connectHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("login", login());
        headers.put("passcode", passcode());
        if (target.broker == Broker.RABBITMQ) {
            headers.put("host", host());
        }
        return headers;
    }

    /** A client connected with {@link #connectHeaders()} (fails after 10 s). */
    StompClient connected() throws Exception {
        return connected(Map.of());
    }

    /** A client connected with {@link #connectHeaders()} plus {@code extra} (a {@code client-id}, say). */
    StompClient connected(Map<String, String> extra) throws Exception {
        StompClient client = client();
        Map<String, String> headers = new LinkedHashMap<>(connectHeaders());
        headers.putAll(extra);
        StompFrame frame = client.connectAsync(headers).get(10, TimeUnit.SECONDS);
        Compatibility.serverSeen(target.broker, frame.header("server"));
        return client;
    }

    /** A fresh queue destination, unique to this invocation; RabbitMQ's are deleted afterwards. */
    String queue(String name) {
        String unique = uniqueName(name);
        if (target.broker == Broker.RABBITMQ) {
            rabbitQueues.add(unique);
        }
        return "/queue/" + unique;
    }

    /** A fresh topic destination (one word: no dots, so it is also a valid RabbitMQ routing key). */
    String topic(String name) {
        return "/topic/" + uniqueName(name);
    }

    /** A name unique to this run, test and target, for queues, exchanges and subscriptions. */
    String uniqueName(String name) {
        return "it-" + name + "-" + target.name().toLowerCase() + "-" + ProcessHandle.current().pid()
                + "-" + NAMES.incrementAndGet();
    }

    /** Remembers a RabbitMQ queue (made through headers such as x-queue-name) to delete afterwards. */
    void rabbitQueueToDelete(String queue) {
        rabbitQueues.add(queue);
    }

    /**
     * Records that the broker does not support the behaviour under test; call it after asserting what the
     * broker does instead. The table shows "not supported by the broker (answer)".
     *
     * @param answer what the broker did, in a few words (stable: no ids or timings)
     */
    void unsupported(String answer) {
        this.unsupported = answer;
    }

    @Nullable String unsupportedAnswer() {
        return unsupported;
    }

    @Override
    public void close() {
        List<StompClient> toClose;
        synchronized (clients) {
            toClose = new ArrayList<>(clients);
            clients.clear();
        }
        // In parallel: each close waits (bounded) for its DISCONNECT receipt.
        toClose.parallelStream().forEach(StompClient::close);
        if (!rabbitQueues.isEmpty()) {
            RabbitAdmin.deleteQueuesQuietly(rabbitQueues);
            rabbitQueues.clear();
        }
    }

    @Override
    public String toString() {
        return target.label;
    }
}
