package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompFrame;
import dev.jstomp.it.FaultKit.Recording;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * Failover across several URLs ({@code Stomp.client(List)}), WebSocket and TCP mixed: a dead first URL is
 * skipped, {@code connectedTo()} names the live one, and a connection lost later moves on to the next URL
 * with its subscriptions.
 */
class FailoverIT {

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest(name = "dead {0}, live {1}")
    @CsvSource({"TCP, TCP", "WEBSOCKET, WEBSOCKET", "WEBSOCKET, TCP", "TCP, WEBSOCKET"})
    void deadFirstUrlIsSkippedAndConnectedToNamesTheLiveOne(Wire dead, Wire live) throws Exception {
        String deadUrl = deadUrl(dead);
        String liveUrl = live.url(broker);
        Recording recording = new Recording();
        List<String> bodies = new CopyOnWriteArrayList<>();
        String queue = live.queue("failover");
        try (StompClient client = recording.attach(Stomp.client(List.of(deadUrl, liveUrl)))) {
            client.reconnectDelay(50).reconnectMaxDelay(200);
            CompletableFuture<StompFrame> connected = new CompletableFuture<>();
            long t0 = System.nanoTime();
            client.connect(broker.connectHeaders(), connected::complete, recording.onError());
            connected.get(10, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("FailoverIT: dead %s then live %s: connected after %d ms to %s%n", dead, live, millis,
                    client.connectedTo());

            assertThat(client.connectedTo()).as("connectedTo(): the live URL as given").isEqualTo(liveUrl);
            assertThat(recording.errors).as("the dead URL's failure was reported").hasSize(1);
            assertThat(recording.errors.get(0).cause()).isInstanceOf(StompConnectionException.class);
            assertThat(recording.errors.get(0).message()).contains(String.valueOf(portOf(deadUrl)));
            client.subscribe(queue, m -> bodies.add(m.body()));
            client.send(queue, Map.of(), "via failover");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.contains("via failover"));
        }
    }

    /** Connected to the first URL (through a proxy), which then dies for good: the client moves to the second. */
    @Test
    void lostConnectionFailsOverToTheNextUrlWithItsSubscriptions() throws Exception {
        Recording recording = new Recording();
        List<String> bodies = new CopyOnWriteArrayList<>();
        String queue = Wire.TCP.queue("failover-loss");
        try (FaultInjectingProxy first = new FaultInjectingProxy(broker.port());
                StompClient client = recording.attach(Stomp.client(List.of(Wire.TCP.url(first), broker.wsUrl())))) {
            client.reconnectDelay(50).reconnectMaxDelay(200);
            client.connect(broker.connectHeaders(), frame -> { }, recording.onError());
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            assertThat(client.connectedTo()).isEqualTo(Wire.TCP.url(first));
            client.subscribe(queue, m -> bodies.add(m.body()), Map.of("id", "moves"));

            first.refuse(true);
            first.cutAll();
            waitAtMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            assertThat(client.connectedTo()).isEqualTo(broker.wsUrl());
            client.send(queue, Map.of(), "on the second broker URL");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.contains("on the second broker URL"));
        }
    }

    private static String deadUrl(Wire wire) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        return wire.webSocket() ? "ws://127.0.0.1:" + port + "/stomp" : "tcp://127.0.0.1:" + port;
    }

    private static int portOf(String url) {
        String rest = url.substring(url.lastIndexOf(':') + 1);
        int slash = rest.indexOf('/');
        return Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash));
    }
}
