package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/** beforeConnect: fresh headers on every CONNECT, a failing supplier, a blocking one; over TCP and WebSocket. */
class BeforeConnectFakeServerTest {

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyReconnectSendsTheTokenOfThatMoment(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.close(); // each connection is lost right after CONNECTED
        });
        AtomicInteger tokens = new AtomicInteger();
        List<String> supplierThreads = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder();
        client = server.client().reconnectDelay(50).reconnectMaxDelay(100).debug(recorder.debug())
                .beforeConnect(() -> {
                    supplierThreads.add(Thread.currentThread().getName());
                    return Map.of("passcode", "token-" + tokens.incrementAndGet());
                });

        client.connect("svc", "static-passcode", recorder.onConnect(), recorder.onError());

        List<String> passcodes = List.of(server.awaitPeer(), server.awaitPeer(), server.awaitPeer()).stream()
                .map(peer -> peer.awaitReceived("CONNECT"))
                .map(connect -> connect.header("login") + "/" + connect.header("passcode"))
                .toList();
        // The supplier's passcode wins over the one given to connect(), and is asked for again each time.
        assertThat(passcodes).containsExactly("svc/token-1", "svc/token-2", "svc/token-3");
        assertThat(supplierThreads).allMatch(name -> name.startsWith("jstomp-connect"));
        assertThat(recorder.debugLines).filteredOn(line -> line.startsWith(">>> CONNECT"))
                .isNotEmpty()
                .allMatch(line -> line.contains("passcode:***") && !line.contains("token-"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aThrowingSupplierFailsThatAttemptAndReconnectingGoesOn(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        AtomicInteger calls = new AtomicInteger();
        Recorder recorder = new Recorder();
        client = server.client().reconnectDelay(50).onStateChange(recorder.onState()).beforeConnect(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("token service unavailable");
            }
            return Map.of("passcode", "SECRET-fresh");
        });

        client.connect(Map.of("login", "svc"), recorder.onConnect(), recorder.onError());

        StompError error = recorder.awaitError();
        assertThat(error.message()).contains("beforeConnect", "127.0.0.1:" + server.port()).doesNotContain("SECRET");
        assertThat(error.cause()).isInstanceOf(StompConnectionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("token service unavailable");
        // Generous: this may be the JVM's first connection of the transport, slow on a loaded machine.
        recorder.awaitConnected(Duration.ofSeconds(20));
        assertThat(server.awaitPeer().awaitReceived("CONNECT").header("passcode")).isEqualTo("SECRET-fresh");
        assertThat(server.connections()).isEqualTo(1); // the failed attempt opened no socket
        assertThat(recorder.states).startsWith(ConnectionState.CONNECTING, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED);
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void withoutReconnectAThrowingSupplierFailsConnectAsync(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "0,0"));
        client = server.client().beforeConnect(() -> {
            throw new IllegalStateException("no token");
        });

        CompletableFuture<StompFrame> connected = client.connectAsync(Map.of());

        assertThatThrownBy(() -> connected.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StompConnectionException.class).hasMessageContaining("beforeConnect");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        assertThat(server.connections()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void headersCONNECTCannotCarryFailTheAttemptWithoutShowingTheirValue(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "0,0"));
        client = server.client().beforeConnect(() -> Map.of("passcode", "SECRET\nline"));

        CompletableFuture<StompFrame> connected = client.connectAsync(Map.of());

        assertThatThrownBy(() -> connected.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("beforeConnect")
                .hasMessageNotContaining("SECRET")
                .cause().hasMessageContaining("passcode").hasMessageNotContaining("SECRET");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void disconnectWhileTheSupplierBlocksOpensNoConnection(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "0,0"));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        client = server.client().beforeConnect(() -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("passcode", "late");
        });
        CompletableFuture<StompFrame> connected = client.connectAsync(Map.of());
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        // Not under the client's lock: state and disconnect answer while the supplier blocks.
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
        client.disconnectAsync().get(2, TimeUnit.SECONDS);
        release.countDown();

        assertThat(connected).failsWithin(Duration.ofSeconds(2));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> server.connections() == 0 && client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void closeInterruptsASupplierThatNeverReturnsAndLeavesNoThread(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> peer.acceptConnect("1.2", "0,0"));
        CountDownLatch entered = new CountDownLatch(1);
        client = server.client().beforeConnect(() -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        });
        client.connect(Map.of(), frame -> { }, error -> { });
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        client.close();

        await().atMost(Duration.ofSeconds(3)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("jstomp-connect") && thread.isAlive()));
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }
}
