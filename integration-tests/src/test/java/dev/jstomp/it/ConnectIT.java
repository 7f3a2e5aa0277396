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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

/** Every connect form, disconnect with a receipt, and every way connecting can fail. */
class ConnectIT {

    @RegisterExtension
    static final ArtemisExtension broker = new ArtemisExtension();

    /** Runs one connect form and returns the CONNECTED frame it delivered. */
    private static StompFrame connectWith(StompClient client, Consumer<Consumer<StompFrame>> form) throws Exception {
        CompletableFuture<StompFrame> connected = new CompletableFuture<>();
        form.accept(connected::complete);
        return connected.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyConnectForm(Transport transport) throws Exception {
        String user = broker.user();
        String pass = broker.password();
        Consumer<StompError> failTest = error -> { throw new AssertionError(error.message()); };
        List<Function<StompClient, Consumer<Consumer<StompFrame>>>> forms = List.of(
                c -> cb -> c.connect(user, pass, cb),
                c -> cb -> c.connect(user, pass, cb, failTest),
                c -> cb -> c.connect(user, pass, cb, failTest, "/"),
                c -> cb -> c.connect(Map.of("login", user, "passcode", pass), cb),
                c -> cb -> c.connect(Map.of("login", user, "passcode", pass), cb, failTest),
                c -> cb -> c.connectAsync(Map.of("login", user, "passcode", pass)).thenAccept(cb));
        for (Function<StompClient, Consumer<Consumer<StompFrame>>> form : forms) {
            try (StompClient client = transport.client(broker)) {
                StompFrame frame = connectWith(client, form.apply(client));
                assertThat(frame.command()).isEqualTo("CONNECTED");
                assertThat(frame.header("version")).isEqualTo("1.2");
                assertThat(client.connected()).isTrue();
            }
        }
    }

    @Test
    void overAUserSuppliedSpringWebSocketClient() throws Exception {
        StandardWebSocketClient webSocketClient = new StandardWebSocketClient();
        try (StompClient client = Stomp.over(webSocketClient, broker.wsUrl())) {
            client.connectAsync(Map.of("login", broker.user(), "passcode", broker.password())).get(10, TimeUnit.SECONDS);
            String destination = Transport.WEBSOCKET.queue("over");
            CompletableFuture<String> body = new CompletableFuture<>();
            client.subscribe(destination, m -> body.complete(m.body()));
            client.send(destination, Map.of(), "through the user's client");
            assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("through the user's client");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void statesAndDisconnectWithReceipt(Transport transport) throws Exception {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        List<String> debug = new CopyOnWriteArrayList<>();
        try (StompClient client = transport.client(broker)) {
            client.onStateChange(states::add).debug(debug::add);
            client.connectAsync(Map.of("login", broker.user(), "passcode", broker.password())).get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> client.heartbeat().outgoing(1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> client.connectAsync(Map.of())).isInstanceOf(IllegalStateException.class);
            CompletableFuture<Void> disconnected = new CompletableFuture<>();
            client.disconnect(() -> disconnected.complete(null));
            disconnected.get(10, TimeUnit.SECONDS);
            assertThat(client.connected()).isFalse();
            assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
            await().atMost(Duration.ofSeconds(5)).until(() -> states.size() == 3);
            assertThat(states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                    ConnectionState.DISCONNECTED);
            String disconnect = debug.stream().filter(l -> l.startsWith(">>> DISCONNECT")).findFirst().orElseThrow();
            String receiptId = disconnect.lines().filter(l -> l.startsWith("receipt:")).findFirst().orElseThrow()
                    .substring("receipt:".length());
            await().atMost(Duration.ofSeconds(5)).until(() -> debug.stream()
                    .anyMatch(l -> l.startsWith("<<< RECEIPT") && l.contains("receipt-id:" + receiptId)));

            // A disconnected client can connect again.
            client.connectAsync(Map.of("login", broker.user(), "passcode", broker.password())).get(10, TimeUnit.SECONDS);
            assertThat(client.connected()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void wrongPasscodeIsAnErrorFrame(Transport transport) throws Exception {
        String passcode = "not-the-" + broker.password();
        try (StompClient client = transport.client(broker)) {
            CompletableFuture<StompError> error = new CompletableFuture<>();
            client.connect(broker.user(), passcode, frame -> { }, error::complete);
            StompError failure = error.get(10, TimeUnit.SECONDS);
            assertThat(failure.frame()).isNotNull();
            assertThat(failure.frame().command()).isEqualTo("ERROR");
            assertThat(failure.cause()).isInstanceOf(StompErrorFrameException.class);
            assertThat(failure.message()).contains("refused CONNECT").contains("password is invalid")
                    .contains(String.valueOf(broker.port())).doesNotContain(passcode);
            await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        }
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
