package dev.jstomp.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompFrame;
import dev.jstomp.broker.EmbeddedArtemis;

/** {@code restart()} with real clients reconnecting over TCP and WebSocket, and what the broker tells about itself. */
class EmbeddedStompBrokerRestartTest {

    @RegisterExtension
    static EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest(name = "over WebSocket: {0}")
    @ValueSource(booleans = {false, true})
    void restartComesBackOnTheSamePortAndAReconnectingClientResubscribes(boolean webSocket) throws Exception {
        String queue = "/queue/restart-" + webSocket + "-" + System.nanoTime();
        int port = broker.port();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        try (StompClient client = Stomp.client(webSocket ? broker.wsUrl() : broker.tcpUrl())) {
            client.reconnectDelay(100).reconnectMaxDelay(500);
            client.onStateChange(states::add);
            List<StompError> errors = new CopyOnWriteArrayList<>();
            CompletableFuture<StompFrame> connected = new CompletableFuture<>();
            client.connect(broker.connectHeaders(), connected::complete, errors::add);
            connected.get(10, TimeUnit.SECONDS);
            StompRecorder recorder = StompRecorder.subscribe(client, queue);
            client.sendWithReceipt(queue, Map.of(), "before").get(10, TimeUnit.SECONDS);
            assertThat(recorder.awaitMessage(Duration.ofSeconds(10)).body()).isEqualTo("before");

            broker.restart();

            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.port()).isEqualTo(port);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> states.contains(ConnectionState.RECONNECTING) && client.connected());
            client.send(queue, Map.of(), "after");
            assertThat(recorder.awaitMessage(Duration.ofSeconds(10)).body()).isEqualTo("after");
            assertThat(states).containsSubsequence(ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                    ConnectionState.CONNECTED);
            assertThat(errors).as("the restart was heard as a lost connection").isNotEmpty();
            assertThat(errors.get(0).cause()).isInstanceOf(StompConnectionException.class);
        }
    }

    @Test
    void aRunningArtemisIsRefused() {
        try (EmbeddedArtemis running = new EmbeddedArtemis().start()) {
            assertThatThrownBy(() -> EmbeddedStompBroker.create(running)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not started");
        }
    }

    @Test
    void urlsAndCredentialsDescribeTheRunningBroker() {
        assertThat(broker.tcpUrl()).isEqualTo("tcp://127.0.0.1:" + broker.port());
        assertThat(broker.wsUrl()).startsWith("ws://127.0.0.1:" + broker.port() + "/");
        assertThat(broker.connectHeaders()).containsEntry("login", broker.login())
                .containsEntry("passcode", broker.passcode());
        assertThat(broker.toString()).contains(broker.tcpUrl()).doesNotContain(broker.passcode());
    }
}
