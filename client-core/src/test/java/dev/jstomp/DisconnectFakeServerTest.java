package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/** Graceful disconnect with and without the broker's RECEIPT, close(), and the threads left behind. */
class DisconnectFakeServerTest {

    private static final Duration RECEIPT_TIMEOUT = Duration.ofMillis(500);

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    private FakePeer connect(Mode mode, FakeStompServer.Script script, Recorder recorder) throws Exception {
        server = FakeStompServer.start(mode, script);
        client = server.client().receiptTimeout(RECEIPT_TIMEOUT).onStateChange(recorder.onState());
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
        return server.awaitPeer();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void disconnectWaitsForTheReceiptThenCloses(Mode mode) throws Exception {
        Recorder recorder = new Recorder();
        FakePeer peer = connect(mode, peer1 -> {
            peer1.acceptConnect("1.2", "0,0");
            peer1.serveReceipts();
        }, recorder);
        long start = System.nanoTime();

        client.disconnectAsync().get(2, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(RECEIPT_TIMEOUT.toMillis());
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(client.connected()).isFalse();
        peer.closedFuture().get(2, TimeUnit.SECONDS);
        List<ClientFrame> frames = peer.received();
        ClientFrame last = frames.get(frames.size() - 1);
        assertThat(last.command()).as("nothing is sent after DISCONNECT").isEqualTo("DISCONNECT");
        assertThat(last.header("receipt")).isNotBlank();
        await().atMost(Duration.ofSeconds(1)).until(() -> recorder.states.contains(ConnectionState.DISCONNECTED));
        assertThat(recorder.errors).as("a requested disconnect is not an error").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void disconnectWithoutAReceiptEndsAfterTheReceiptTimeout(Mode mode) throws Exception {
        Recorder recorder = new Recorder();
        FakePeer peer = connect(mode, peer1 -> {
            peer1.acceptConnect("1.2", "0,0");
            peer1.next("DISCONNECT"); // and never a RECEIPT
        }, recorder);
        long start = System.nanoTime();

        client.disconnectAsync().get(RECEIPT_TIMEOUT.toMillis() + 1_500, TimeUnit.MILLISECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(RECEIPT_TIMEOUT.toMillis() - 50);
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        peer.closedFuture().get(2, TimeUnit.SECONDS);
        assertThat(recorder.errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void disconnectCallbackRunsOnACallbackThread(Mode mode) throws Exception {
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        }, new Recorder());
        CompletableFuture<String> thread = new CompletableFuture<>();

        client.disconnect(() -> thread.complete(Thread.currentThread().getName()));

        assertThat(thread.get(2, TimeUnit.SECONDS)).startsWith("jstomp-callback");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void disconnectAsyncCompletesOffTheIoThread(Mode mode) throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            ClientFrame disconnect = peer.next("DISCONNECT");
            answer.await(5, TimeUnit.SECONDS);
            peer.send("RECEIPT\nreceipt-id:" + disconnect.header("receipt") + "\n\n\0");
        }, new Recorder());

        CompletableFuture<String> thread = client.disconnectAsync().thenApply(v -> Thread.currentThread().getName());
        answer.countDown();

        assertThat(thread.get(2, TimeUnit.SECONDS)).startsWith("jstomp-callback");
    }

    /**
     * A race, so a stress test: when the broker's close is processed between StompConnection.disconnect()
     * setting DISCONNECTING and registering the DISCONNECT receipt, close() clears the receipts first and the
     * new receipt future is orphaned; disconnectAsync() then waits out the whole receipt timeout. It shows
     * up about 3 times in 1,000 rounds here, so the loop stops at the first slow round.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void disconnectRacingTheBrokersCloseNeverWaitsForTheReceiptTimeout(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        client = server.client().receiptTimeout(Duration.ofSeconds(3));

        for (int round = 0; round < 3_000; round++) {
            client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
            server.awaitPeer().close();
            long start = System.nanoTime();
            client.disconnectAsync().get(5, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("round " + round).isLessThan(1_000);
            await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closeIsBoundedIdempotentAndFinal(Mode mode) throws Exception {
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.next("DISCONNECT"); // never answered
        }, new Recorder());
        long start = System.nanoTime();

        client.close();
        client.close();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(RECEIPT_TIMEOUT.toMillis() + 2_500);
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThatThrownBy(() -> client.connectAsync(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void disconnectWhileConnectingCancelsTheConnect(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> { }); // never answers CONNECT
        client = server.client();
        CompletableFuture<StompFrame> connected = client.connectAsync(Map.of());
        server.awaitPeer().awaitReceived("CONNECT");

        client.disconnectAsync().get(2, TimeUnit.SECONDS);

        assertThat(ConnectFakeServerTest.catchCause(connected)).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("cancelled");
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectCloseCyclesLeaveNoThreadsBehind(Mode mode) throws Exception {
        int cycles = mode == Mode.TCP ? 50 : 10;
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        Set<Thread> baseline = clientThreads();

        for (int i = 0; i < cycles; i++) {
            try (StompClient cycle = server.client()) {
                cycle.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
                cycle.subscribe("/queue/test", message -> { });
            }
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                clientThreads().stream().filter(t -> !baseline.contains(t)).map(Thread::getName)
                        .collect(Collectors.toList())).as("threads started by the cycles, still alive").isEmpty());
    }

    /** Live threads jstomp, Spring's TCP client or Tyrus start for a client. */
    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("jstomp-") || t.getName().startsWith("tcp-client-scheduler")
                        || t.getName().startsWith("Grizzly") || t.getName().startsWith("tyrus-"))
                .collect(Collectors.toSet());
    }
}
