package dev.jstomp.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.StompProtocolException;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.test.FakeStompServer.Fault;
import dev.jstomp.test.FakeStompServer.Step;

/** Each scripted fault, over TCP and WebSocket, as a real jstomp client reports it. */
class FakeStompServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeStompServer server;
    private StompClient client;
    private final List<StompError> errors = new CopyOnWriteArrayList<>();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private StompClient start(boolean webSocket, FakeStompServer.Builder builder) {
        server = builder.start();
        assertThat(server.url()).startsWith(webSocket ? "ws://127.0.0.1:" : "tcp://127.0.0.1:");
        client = Stomp.client(server.url());
        client.onStateChange(states::add);
        return client;
    }

    private static FakeStompServer.Builder fake(boolean webSocket) {
        return webSocket ? FakeStompServer.webSocket() : FakeStompServer.tcp();
    }

    /** Connects through the callback form, collecting errors. */
    private StompFrame connect() throws Exception {
        CompletableFuture<StompFrame> connected = new CompletableFuture<>();
        client.connect(Map.of("login", "user", "passcode", "secret"), connected::complete, errors::add);
        return connected.get(10, TimeUnit.SECONDS);
    }

    private StompError awaitError() {
        await().atMost(WAIT).until(() -> !errors.isEmpty());
        return errors.get(0);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void withoutFaultsItIsASmallBroker(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket));
        StompFrame connected = connect();
        assertThat(connected.header("version")).isEqualTo("1.2");
        assertThat(connected.header("server")).isEqualTo("jstomp-fake/1");

        StompRecorder recorder = StompRecorder.subscribe(client, "/queue/a");
        client.sendWithReceipt("/queue/a", Map.of("x-custom", "v:1"), "hello").get(10, TimeUnit.SECONDS);
        StompMessage got = recorder.awaitMessage(WAIT);
        assertThat(got.body()).isEqualTo("hello");
        assertThat(got.header("x-custom")).isEqualTo("v:1");
        client.disconnectAsync().get(10, TimeUnit.SECONDS);

        assertThat(server.receivedCommands()).containsExactly("CONNECT", "SUBSCRIBE", "SEND", "DISCONNECT");
        assertThat(server.received().get(0).header("login")).isEqualTo("user");
        assertThat(server.faultsFired()).isEmpty();
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void dropOnAcceptFailsTheConnect(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.ACCEPT, Fault.drop()));
        Throwable failure = failureOf(client.connectAsync(Map.of()));
        assertThat(failure).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("127.0.0.1:" + server.port());
        assertThat(server.faultsFired()).containsExactly("connection 1: ACCEPT drop()");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void errorOnConnectReachesTheErrorCallbackAndTheFuture(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.CONNECT, Fault.error("bad credentials")));
        client.connect(Map.of("login", "user", "passcode", "wrong"), frame -> { }, errors::add);
        StompError error = awaitError();
        assertThat(error.message()).contains("refused CONNECT: bad credentials", "127.0.0.1:" + server.port());
        assertThat(error.frame()).isNotNull();
        assertThat(error.frame().header("message")).isEqualTo("bad credentials");
        assertThat(error.frame().command()).isEqualTo("ERROR");
        assertThat(error.frame().body()).isEqualTo("fake server: bad credentials");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);

        assertThat(failureOf(client.connectAsync(Map.of()))).isInstanceOf(StompErrorFrameException.class)
                .hasMessageContaining("bad credentials");
        assertThat(server.connections()).isEqualTo(2);
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void silenceOnConnectTimesTheConnectOut(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.CONNECT, Fault.silence()));
        client.connectTimeout(Duration.ofMillis(500));
        assertThat(failureOf(client.connectAsync(Map.of()))).isInstanceOf(StompTimeoutException.class)
                .hasMessageContaining("No CONNECTED frame");
        assertThat(server.receivedCommands()).containsExactly("CONNECT");
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void silenceAfterConnectedStopsTheHeartBeatsAndTheClientDeclaresTheServerDead(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.CONNECTED, Fault.silence()));
        client.heartbeat().outgoing(0).incoming(200);
        StompFrame connected = connect();
        assertThat(connected.header("heart-beat")).isEqualTo("200,0");
        StompError error = awaitError();
        assertThat(error.cause()).isInstanceOf(StompTimeoutException.class);
        assertThat(error.message()).contains("heart-beat");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void heartBeatsKeepAHealthyConnectionAlive(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket));
        client.heartbeat().outgoing(0).incoming(100);
        connect();
        // Ten intervals with beats only: a server that did not beat would be declared dead after two.
        StompRecorder recorder = StompRecorder.subscribe(client, "/queue/quiet");
        recorder.assertNoMoreMessages(Duration.ofMillis(1_000));
        assertThat(client.connected()).isTrue();
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void errorOnSubscribeReachesTheErrorCallback(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.SUBSCRIBE, Fault.error("no such queue")));
        connect();
        client.subscribe("/queue/missing", message -> { });
        StompError error = awaitError();
        assertThat(error.message()).contains("sent ERROR: no such queue");
        assertThat(error.frame().command()).isEqualTo("ERROR");
        assertThat(error.frame().header("message")).isEqualTo("no such queue");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
        assertThat(server.faultsFired()).containsExactly("connection 1: SUBSCRIBE error(\"no such queue\")");
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void dropOnTheFirstConnectionsSendIsSurvivedByReconnecting(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).onConnection(1, Step.SEND, Fault.drop()));
        client.reconnectDelay(100).reconnectMaxDelay(200);
        connect();
        StompRecorder recorder = StompRecorder.subscribe(client, "/queue/orders");
        client.send("/queue/orders", Map.of(), "lost with the connection");

        await().atMost(WAIT).until(() -> server.connections() == 2 && client.connected());
        client.send("/queue/orders", Map.of(), "after the reconnect");

        assertThat(recorder.awaitMessage(WAIT).body()).isEqualTo("after the reconnect");
        assertThat(states).containsSubsequence(ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED);
        assertThat(server.receivedCommands()).containsSubsequence("CONNECT", "SUBSCRIBE", "SEND", "CONNECT",
                "SUBSCRIBE", "SEND");
        assertThat(server.faultsFired()).containsExactly("connection 1: SEND drop()");
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void garbageIsAProtocolError(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.CONNECTED, Fault.garbage()));
        connect();
        StompError error = awaitError();
        assertThat(error.cause()).isInstanceOf(StompProtocolException.class);
        assertThat(error.message()).contains("unknown command", "NOT-A-STOMP-COMMAND");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void anOversizedFrameIsRefused(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.SUBSCRIBE, Fault.oversizedFrame(256 * 1024)));
        client.maxFrameSize(64 * 1024);
        connect();
        List<StompMessage> delivered = new CopyOnWriteArrayList<>();
        client.subscribe("/queue/big", delivered::add);
        StompError error = awaitError();
        assertThat(error.cause()).isInstanceOf(StompProtocolException.class);
        assertThat(error.message()).contains("65536");
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
        assertThat(delivered).isEmpty();
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void silenceOnDisconnectEndsTheWaitForTheReceiptAtItsTimeout(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.DISCONNECT, Fault.silence()));
        client.receiptTimeout(Duration.ofMillis(300));
        connect();
        long start = System.nanoTime();
        client.disconnectAsync().get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(server.receivedCommands()).containsExactly("CONNECT", "DISCONNECT");
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void errorOnDisconnectCarriesTheReceiptIdAndEndsTheWait(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket).on(Step.DISCONNECT, Fault.error("going away")));
        List<String> debug = new CopyOnWriteArrayList<>();
        client.debug(debug::add).receiptTimeout(Duration.ofSeconds(4));
        connect();
        long start = System.nanoTime();
        client.disconnectAsync().get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended by the ERROR, not the receipt timeout")
                .isLessThan(Duration.ofSeconds(4));
        StompFrame disconnect = server.received().get(1);
        assertThat(disconnect.command()).isEqualTo("DISCONNECT");
        String receipt = disconnect.header("receipt");
        assertThat(receipt).isNotNull();
        assertThat(debug).anySatisfy(line -> assertThat(line).startsWith("<<< ERROR")
                .contains("message:going away", "receipt-id:" + receipt));
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest(name = "webSocket={0}")
    @ValueSource(booleans = {false, true})
    void closeEndsOpenConnections(boolean webSocket) throws Exception {
        start(webSocket, fake(webSocket));
        client.heartbeat().outgoing(0).incoming(0);
        connect();
        server.close();
        StompError error = awaitError();
        assertThat(error.cause()).isInstanceOf(StompConnectionException.class);
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
    }

    @org.junit.jupiter.api.Test
    void badFaultArgumentsAreRefused() {
        assertThatThrownBy(() -> Fault.oversizedFrame(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeStompServer.tcp().onConnection(0, Step.SEND, Fault.drop()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1");
    }
}
