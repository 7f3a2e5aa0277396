package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/**
 * Heart-beats both ways, over TCP and WebSocket. STOMP's CONNECTED {@code heart-beat:sx,sy}: {@code sx} is
 * how often the server sends, {@code sy} how often it wants the client to; the client expects beats every
 * {@code max(sx, client incoming)} and sends every {@code max(client outgoing, sy)}, each only when both
 * values are non-zero.
 */
class HeartbeatFakeServerTest {

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    private Recorder connect(long outgoing, long incoming) throws InterruptedException {
        Recorder recorder = new Recorder();
        client = server.client().receiptTimeout(Duration.ofMillis(500)).debug(recorder.debug());
        client.heartbeat().outgoing(outgoing).incoming(incoming);
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
        return recorder;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void brokerThatPromisedBeatsAndGoesSilentIsDeclaredDead(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "500,0")); // then silence
        Recorder recorder = connect(0, 500);
        long connectedAt = System.nanoTime();

        StompError error = recorder.awaitError(Duration.ofMillis(2 * 500 + 1_000));

        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt);
        assertThat(silentMillis).as("not declared dead before twice the interval").isGreaterThanOrEqualTo(800);
        assertThat(error.cause()).isInstanceOf(StompTimeoutException.class);
        assertThat(error.message()).contains("heart-beat", "127.0.0.1:" + server.port());
        await().atMost(Duration.ofSeconds(1)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        server.awaitPeer().closedFuture().get(2, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void brokerThatPromisedNoBeatsIsNotExpectedToSendAny(Mode mode) throws Exception {
        // heart-beat:0,500 means the broker sends none (sx = 0) and wants one from us every 500 ms.
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "0,500"));
        Recorder recorder = connect(0, 500);

        await().during(Duration.ofMillis(1_200)).atMost(Duration.ofSeconds(2)).until(() -> client.connected());
        assertThat(recorder.errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void beatingBrokerKeepsTheConnectionAlive(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "300,0");
            peer.beatEvery(Duration.ofMillis(150)); // more often than promised leaves slack for a slow machine
        });
        Recorder recorder = connect(0, 300);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> client.connected());
        assertThat(recorder.errors).isEmpty();
        assertThat(recorder.debugLines).contains("<<< PONG");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientSendsBeatsWhenTheBrokerAsksForThem(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "0,300"));
        Recorder recorder = connect(300, 0);
        FakePeer peer = server.awaitPeer();

        await().atMost(Duration.ofSeconds(2)).until(() -> peer.heartbeats() >= 3);
        assertThat(recorder.debugLines).contains(">>> PING");
        assertThat(recorder.errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientSendsNoBeatsWhenTheBrokerDeclines(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "0,0"));
        connect(300, 300);
        FakePeer peer = server.awaitPeer();

        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(1)).until(() -> peer.heartbeats() == 0);
        assertThat(client.connected()).isTrue();
    }
}
