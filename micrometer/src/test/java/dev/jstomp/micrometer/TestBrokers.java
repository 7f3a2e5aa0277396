package dev.jstomp.micrometer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import dev.jstomp.broker.EmbeddedArtemis;

/**
 * The brokers these tests run on: an embedded Artemis (TCP and WebSocket on one port) started once per JVM, and
 * the RabbitMQ of {@code .ci/brokers.sh} (STOMP 61613, Web-STOMP 15674), which is required, never skipped, under
 * {@code CI=true} or {@code -Djstomp.requireBrokers=true}.
 */
enum TestBrokers {
    ARTEMIS_TCP, ARTEMIS_WS, RABBITMQ_TCP, RABBITMQ_WS;

    private static final String HOST = "127.0.0.1";
    private static final int RABBITMQ_STOMP = 61613;
    private static final int RABBITMQ_WEB_STOMP = 15674;
    private static EmbeddedArtemis artemis;

    static synchronized EmbeddedArtemis artemis() {
        if (artemis == null) {
            EmbeddedArtemis started = new EmbeddedArtemis().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            artemis = started;
        }
        return artemis;
    }

    /** A new client of this broker and transport, not connected. */
    StompClient client() {
        return switch (this) {
            case ARTEMIS_TCP -> Stomp.overTCP(HOST, artemis().port());
            case ARTEMIS_WS -> Stomp.client(artemis().wsUrl());
            case RABBITMQ_TCP -> {
                require(RABBITMQ_STOMP);
                yield Stomp.overTCP(HOST, RABBITMQ_STOMP);
            }
            case RABBITMQ_WS -> {
                require(RABBITMQ_WEB_STOMP);
                yield Stomp.client("ws://" + HOST + ":" + RABBITMQ_WEB_STOMP + "/ws");
            }
        };
    }

    /** Connects the client with this broker's credentials; returns once CONNECTED. */
    StompClient connect(StompClient client) throws Exception {
        boolean rabbit = this == RABBITMQ_TCP || this == RABBITMQ_WS;
        Map<String, String> login = rabbit ? Map.of("login", "guest", "passcode", "guest", "host", "/")
                : Map.of("login", artemis().user(), "passcode", artemis().password());
        client.connectAsync(login).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** A topic nobody else uses: a subscriber's queue on RabbitMQ is auto-deleted with its subscription. */
    static String uniqueTopic(String what) {
        return "/topic/jstomp-micrometer-" + what + "-" + UUID.randomUUID();
    }

    /** Subscribes and waits for the broker's RECEIPT, so that what is sent next is routed to the subscription. */
    static Subscription subscribed(StompClient client, String destination, Consumer<StompMessage> callback)
            throws Exception {
        String receipt = "sub-" + UUID.randomUUID();
        CompletableFuture<?> done = client.watchForReceipt(receipt);
        Subscription subscription = client.subscribe(destination, callback, Map.of("receipt", receipt));
        done.get(10, TimeUnit.SECONDS);
        return subscription;
    }

    private static void require(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1_000);
        } catch (IOException e) {
            String reason = "RabbitMQ is not reachable at " + HOST + ":" + port
                    + "; start the brokers with `bash .ci/brokers.sh start`";
            if (Boolean.getBoolean("jstomp.requireBrokers") || "true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(reason + " (brokers are required: CI=true or -Djstomp.requireBrokers=true)");
            }
            Assumptions.abort(reason + "; skipped (set CI=true or -Djstomp.requireBrokers=true to make this a failure)");
        }
    }
}
