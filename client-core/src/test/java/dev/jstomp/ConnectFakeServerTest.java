package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/** Connecting against brokers that stay silent, refuse with ERROR, or fail later; over TCP and WebSocket. */
class ConnectFakeServerTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void silentBrokerFailsConnectAsyncWithTimeout(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> { }); // reads CONNECT, never answers
        client = server.client().connectTimeout(CONNECT_TIMEOUT);

        long start = System.nanoTime();
        CompletableFuture<StompFrame> connected = client.connectAsync(Map.of());

        assertThatThrownBy(() -> connected.get(CONNECT_TIMEOUT.toMillis() + 1_500, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StompTimeoutException.class)
                .hasMessageContaining("No CONNECTED frame")
                .hasMessageContaining("127.0.0.1:" + server.port())
                .hasMessageContaining("500 ms");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).isBetween(CONNECT_TIMEOUT.toMillis() - 50, CONNECT_TIMEOUT.toMillis() + 1_500);
        assertThat(server.awaitPeer().received()).extracting(ClientFrame::command).contains("CONNECT");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void silentBrokerIsReportedToTheErrorCallback(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> { });
        Recorder recorder = new Recorder();
        client = server.client().connectTimeout(CONNECT_TIMEOUT).onStateChange(recorder.onState());

        client.connect(Map.of(), recorder.onConnect(), recorder.onError());

        StompError error = recorder.awaitError(CONNECT_TIMEOUT.plusMillis(1_500));
        assertThat(error.cause()).isInstanceOf(StompTimeoutException.class);
        assertThat(error.frame()).isNull();
        assertThat(error.message()).contains("No CONNECTED frame", "127.0.0.1:" + server.port());
        assertThat(recorder.connected).isEmpty();
        await().atMost(Duration.ofSeconds(2))
                .until(() -> recorder.states.equals(List.of(ConnectionState.CONNECTING, ConnectionState.DISCONNECTED)));
        // A closed connection: the broker side sees the socket go.
        server.awaitPeer().closedFuture().get(2, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void errorFrameInsteadOfConnectedFailsConnectAsyncWithTheFrame(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.next("CONNECT");
            peer.send("ERROR\nmessage:Bad credentials for user guest\ncontent-type:text/plain\n\nAccess refused\0");
            peer.close();
        });
        client = server.client().connectTimeout(Duration.ofSeconds(5));

        CompletableFuture<StompFrame> connected = client.connectAsync(Map.of("login", "guest", "passcode", "wrong"));

        Throwable failure = catchCause(connected);
        assertThat(failure).isInstanceOf(StompErrorFrameException.class)
                .hasMessageContaining("Bad credentials for user guest")
                .hasMessageContaining("127.0.0.1:" + server.port());
        StompFrame frame = ((StompErrorFrameException) failure).frame();
        assertThat(frame.command()).isEqualTo("ERROR");
        assertThat(frame.header("message")).isEqualTo("Bad credentials for user guest");
        assertThat(frame.body()).isEqualTo("Access refused");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void errorFrameAfterConnectedGoesToTheErrorCallbackOnce(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.next("SEND");
            peer.send("ERROR\nmessage:destination forbidden\n\n\0");
            peer.close();
        });
        Recorder recorder = new Recorder();
        client = server.client();
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();

        client.send("/queue/forbidden");

        StompError error = recorder.awaitError();
        assertThat(error.frame()).isNotNull();
        assertThat(error.frame().command()).isEqualTo("ERROR");
        assertThat(error.frame().header("message")).isEqualTo("destination forbidden");
        assertThat(error.message()).contains("destination forbidden");
        assertThat(error.cause()).isInstanceOf(StompErrorFrameException.class);
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        // The broker closing the socket right after its ERROR is not a second failure.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(recorder.errors::isEmpty);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void settingsAreFrozenWhileConnectedAndFreeAgainAfterDisconnect(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        client = server.client();
        client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> client.heartbeat().outgoing(1_000)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.connectTimeout(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.maxFrameSize(1_024)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.debug(line -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.connectAsync(Map.of())).isInstanceOf(IllegalStateException.class);

        client.disconnectAsync().get(5, TimeUnit.SECONDS);
        client.heartbeat().outgoing(1_000);
        assertThat(client.heartbeat().outgoing()).isEqualTo(1_000);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void unusableAddressIsReportedThroughTheErrorCallbackNotThrown(Mode mode) throws Exception {
        String url = mode == Mode.TCP ? "ftp://127.0.0.1/stomp" : "ws:///no-host";
        Recorder recorder = new Recorder();
        client = Stomp.client(url);

        client.connect(Map.of(), recorder.onConnect(), recorder.onError());

        StompError error = recorder.awaitError();
        assertThat(error.cause()).isInstanceOf(StompConnectionException.class);
        assertThat(error.message()).contains("Cannot connect to");
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void refusedConnectionFailsWithAClearMessage(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> { });
        int port = server.port();
        server.close();
        server = null;
        client = mode == Mode.TCP ? Stomp.overTCP("127.0.0.1", port) : Stomp.client("ws://127.0.0.1:" + port + "/stomp");

        Throwable failure = catchCause(client.connectAsync(Map.of()));

        assertThat(failure).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(failure.getMessage().toLowerCase(Locale.ROOT)).contains("refused");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void connectWithoutAnErrorCallbackLogsTheFailure(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.next("CONNECT");
            peer.send("ERROR\nmessage:Bad credentials\n\n\0");
            peer.close();
        });
        client = server.client();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // slf4j-simple writes here
        try {
            client.connect("guest", "TOPSECRET-123", frame -> { });
            await().atMost(Duration.ofSeconds(3)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        } finally {
            System.setErr(originalErr);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("Bad credentials").doesNotContain("TOPSECRET-123");
    }

    static Throwable catchCause(CompletableFuture<?> future) throws Exception {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future completed normally");
    }
}
