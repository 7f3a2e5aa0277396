package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompTimeoutException;

/**
 * Every connect form and disconnect with a receipt on every broker; and every way connecting can fail
 * (those need no broker).
 */
@DisplayName("Connecting")
class ConnectIT {

    /** Runs one connect form and returns the CONNECTED frame it delivered. */
    private static StompFrame connectWith(Consumer<Consumer<StompFrame>> form) throws Exception {
        CompletableFuture<StompFrame> connected = new CompletableFuture<>();
        form.accept(connected::complete);
        return connected.get(10, TimeUnit.SECONDS);
    }

    @MatrixTest("every stomp.js connect form; STOMP 1.2 negotiated")
    void everyConnectForm(BrokerTarget target) throws Exception {
        String user = target.login();
        String pass = target.passcode();
        String host = target.host();
        Consumer<StompError> failTest = error -> { throw new AssertionError(error.message()); };
        Map<String, String> headers = target.connectHeaders();
        List<Function<StompClient, Consumer<Consumer<StompFrame>>>> forms = List.of(
                c -> cb -> c.connect(user, pass, cb),
                c -> cb -> c.connect(user, pass, cb, failTest),
                c -> cb -> c.connect(user, pass, cb, failTest, host),
                c -> cb -> c.connect(headers, cb),
                c -> cb -> c.connect(headers, cb, failTest),
                c -> cb -> c.connectAsync(headers).thenAccept(cb));
        for (Function<StompClient, Consumer<Consumer<StompFrame>>> form : forms) {
            try (StompClient client = target.client()) {
                StompFrame frame = connectWith(form.apply(client));
                assertThat(frame.command()).isEqualTo("CONNECTED");
                assertThat(frame.header("version")).isEqualTo("1.2");
                assertThat(client.connected()).isTrue();
                Compatibility.serverSeen(target.broker(), frame.header("server"));
            }
        }
    }

    @MatrixTest(value = "over a user-supplied Spring WebSocketClient (Stomp.over)",
            only = {Target.ARTEMIS_WS, Target.RABBITMQ_WS}, otherwise = "WebSocket only")
    void overAUserSuppliedSpringWebSocketClient(BrokerTarget target) throws Exception {
        StompClient client = target.track(Stomp.over(new StandardWebSocketClient(), target.wsUrl()));
        client.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
        String destination = target.queue("over");
        CompletableFuture<String> body = new CompletableFuture<>();
        client.subscribe(destination, m -> body.complete(m.body()));
        client.send(destination, Map.of(), "through the user's client");
        assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("through the user's client");
    }

    @MatrixTest("connection states; DISCONNECT waits for its RECEIPT; connect again")
    void statesAndDisconnectWithReceipt(BrokerTarget target) throws Exception {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        DebugLog debug = new DebugLog();
        StompClient client = target.client();
        client.onStateChange(states::add).debug(debug);
        client.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.heartbeat().outgoing(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.connectAsync(Map.of())).isInstanceOf(IllegalStateException.class);
        CompletableFuture<Void> disconnected = new CompletableFuture<>();
        client.disconnect(() -> disconnected.complete(null));
        disconnected.get(10, TimeUnit.SECONDS);
        // (That the callback already sees DISCONNECTED is the next row's subject.)
        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        await().atMost(Duration.ofSeconds(5)).until(() -> states.size() == 3);
        assertThat(states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                ConnectionState.DISCONNECTED);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> debug.lines.stream().anyMatch(l -> l.startsWith(">>> DISCONNECT")));
        String disconnect = debug.lines.stream().filter(l -> l.startsWith(">>> DISCONNECT")).findFirst().orElseThrow();
        String receiptId = disconnect.lines().filter(l -> l.startsWith("receipt:")).findFirst().orElseThrow()
                .substring("receipt:".length());
        if (target.target == Target.RABBITMQ_WS) {
            // Web-STOMP 3.10 answers DISCONNECT by closing the WebSocket (1000, "STOMP died"), RECEIPT unsent.
            assertThat(debug.receiptSeen(receiptId)).as("a RECEIPT for DISCONNECT").isFalse();
            target.unsupported("Web-STOMP closes the WebSocket on DISCONNECT without sending its RECEIPT"
                    + " (the STOMP plugin over TCP sends it)");
        } else {
            debug.awaitReceipt(receiptId);
        }

        // A disconnected client can connect again.
        client.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
        assertThat(client.connected()).isTrue();
    }

    /**
     * The disconnect callback must not run before the client reports DISCONNECTED. Brokers that close the
     * socket right after the DISCONNECT receipt (RabbitMQ Web-STOMP) race the receipt against the close;
     * repeated, so a race shows.
     */
    @MatrixTest("disconnect(callback): the callback sees the client DISCONNECTED (20 cycles)")
    void disconnectCallbackRunsWhenDisconnected(BrokerTarget target) throws Exception {
        for (int cycle = 1; cycle <= 20; cycle++) {
            try (StompClient client = target.client()) {
                client.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
                CompletableFuture<ConnectionState> seen = new CompletableFuture<>();
                client.disconnect(() -> seen.complete(client.state()));
                assertThat(seen.get(10, TimeUnit.SECONDS)).as("state in the disconnect callback, cycle %d", cycle)
                        .isEqualTo(ConnectionState.DISCONNECTED);
            }
        }
    }

    @MatrixTest(value = "a wrong passcode is an ERROR frame, reported without the passcode",
            only = {Target.ARTEMIS_TCP, Target.ARTEMIS_WS, Target.RABBITMQ_TCP, Target.RABBITMQ_WS},
            otherwise = "the test Classic has no authentication plugin")
    void wrongPasscodeIsAnErrorFrame(BrokerTarget target) throws Exception {
        String passcode = "not-the-" + target.passcode();
        StompClient client = target.client();
        CompletableFuture<StompError> error = new CompletableFuture<>();
        client.connect(target.login(), passcode, frame -> { }, error::complete, target.host());
        StompError failure = error.get(10, TimeUnit.SECONDS);
        assertThat(failure.frame()).isNotNull();
        assertThat(failure.frame().command()).isEqualTo("ERROR");
        assertThat(failure.cause()).isInstanceOf(StompErrorFrameException.class);
        assertThat(failure.message()).contains("refused CONNECT").contains(String.valueOf(target.port()))
                .doesNotContain(passcode);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusedConnection(Transport transport) throws Exception {
        int port = freePort();
        StompClient client = transport == Transport.TCP ? Stomp.overTCP("127.0.0.1", port)
                : Stomp.client("ws://127.0.0.1:" + port + "/stomp");
        expectFailure(client, StompConnectionException.class, "connection refused", "127.0.0.1:" + port);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownHost(Transport transport) throws Exception {
        StompClient client = transport == Transport.TCP ? Stomp.overTCP("no-such-host.invalid", 61613)
                : Stomp.client("ws://no-such-host.invalid:61614/stomp");
        expectFailure(client, StompConnectionException.class, "unknown host", "no-such-host.invalid");
    }

    @Test
    void wrongScheme() throws Exception {
        expectFailure(Stomp.client("ftp://127.0.0.1:21/"), StompConnectionException.class,
                "unsupported URL scheme 'ftp'", "ftp://127.0.0.1:21/");
    }

    @Test
    void credentialsInTheUrlNeverShow() throws Exception {
        int port = freePort();
        StompError error = expectFailure(Stomp.client("ws://user:hunter2@127.0.0.1:" + port + "/stomp"),
                StompConnectionException.class, "connection refused", "127.0.0.1:" + port);
        assertThat(error.message()).doesNotContain("hunter2");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void brokerThatNeverAnswersTimesOut(Transport transport) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never write a byte
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = silent.getLocalPort();
            StompClient client = transport == Transport.TCP ? Stomp.overTCP("127.0.0.1", port)
                    : Stomp.client("ws://127.0.0.1:" + port + "/stomp");
            client.connectTimeout(Duration.ofMillis(1500));
            long start = System.nanoTime();
            expectFailure(client, StompTimeoutException.class, "within 1500 ms", "127.0.0.1:" + port);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    /** Connects through both the callback form and the future form, and checks both report the failure. */
    private static StompError expectFailure(StompClient client, Class<? extends StompException> type,
            String... fragments) throws Exception {
        try (client) {
            CompletableFuture<StompError> error = new CompletableFuture<>();
            client.connect(Map.of("login", "x", "passcode", "y"), frame -> { }, error::complete);
            StompError failure = error.get(20, TimeUnit.SECONDS);
            assertThat(failure.cause()).isInstanceOf(type);
            for (String fragment : fragments) {
                assertThat(failure.message()).containsIgnoringCase(fragment);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.DISCONNECTED);
            CompletableFuture<StompFrame> future = client.connectAsync(Map.of("login", "x", "passcode", "y"));
            assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(type);
            return failure;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
