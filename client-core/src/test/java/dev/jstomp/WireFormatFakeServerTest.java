package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/** What the broker sees byte for byte: CONNECT, escaped SEND headers, and the passcode nowhere else. */
class WireFormatFakeServerTest {

    private static final String SECRET = "TOPSECRET-123";

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    private static FakeStompServer.Script serving() {
        return peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        };
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectFrameCarriesVersionsHeartbeatAndCredentialsUnescaped(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, serving());
        Recorder recorder = new Recorder();
        client = server.client();
        client.heartbeat().outgoing(1_000).incoming(2_000);

        client.connect("guest", SECRET, recorder.onConnect(), recorder.onError(), "/vhost:1");
        recorder.awaitConnected();

        ClientFrame connect = server.awaitPeer().awaitReceived("CONNECT");
        assertThat(connect.header("accept-version")).isEqualTo("1.0,1.1,1.2");
        assertThat(connect.header("heart-beat")).isEqualTo("1000,2000");
        assertThat(connect.header("login")).isEqualTo("guest");
        assertThat(connect.header("passcode")).isEqualTo(SECRET);
        // CONNECT is never escaped: the colon goes as is, not as \c.
        assertThat(connect.rawText()).contains("\nhost:/vhost:1\n");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void sendHeadersAreEscapedOnTheWire(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, serving());
        client = server.client();
        client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("foo", "a:b\nc\\d");
        headers.put("we:ird", "x\ry");

        client.send("/queue/test", headers, "body");

        ClientFrame send = server.awaitPeer().awaitReceived("SEND");
        assertThat(send.rawText()).contains("\nfoo:a\\cb\\nc\\\\d\n", "\nwe\\cird:x\\ry\n");
        assertThat(send.header("destination")).isEqualTo("/queue/test");
        assertThat(send.header("content-length")).isEqualTo("4");
        assertThat(send.bodyText()).isEqualTo("body");
    }

    /**
     * A burst mixing small, batch-filling and over-the-flush-mark bodies: over TCP each frame that does not
     * fit its batch starts a new one (the full one written unflushed), so this checks every frame still leaves
     * whole and in order, with non-ASCII and escaped header values encoded in the writer's one pass.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBurstOfMixedSizesArrivesWholeAndInOrder(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, serving());
        client = server.client();
        client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
        FakePeer peer = server.awaitPeer();
        int[] sizes = {10, 16 * 1024, 3, 70 * 1024, 20 * 1024, 20 * 1024, 128, 0, 15 * 1024, 5};
        for (int i = 0; i < sizes.length; i++) {
            byte[] body = new byte[sizes[i]];
            java.util.Arrays.fill(body, (byte) ('a' + i));
            client.send("/queue/mixed", Map.of("n", String.valueOf(i), "té:x", "vé\\" + i), body);
        }

        List<ClientFrame> sends = await().atMost(FakeStompServer.WAIT).until(
                () -> peer.received().stream().filter(f -> f.command().equals("SEND")).toList(),
                list -> list.size() == sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            ClientFrame send = sends.get(i);
            assertThat(send.header("n")).isEqualTo(String.valueOf(i));
            assertThat(send.rawText()).contains("\nt\u00e9\\cx:v\u00e9\\\\" + i + "\n");
            assertThat(send.body()).hasSize(sizes[i]);
            if (sizes[i] > 0) {
                assertThat(send.body()).containsOnly((byte) ('a' + i));
            }
            assertThat(send.header("content-length")).isEqualTo(String.valueOf(sizes[i]));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "WEBSOCKET")
    void largeFramesAreSplitAcrossWebSocketMessagesAndArriveWhole(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, serving());
        client = server.client().webSocketMessageSize(16 * 1024);
        client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
        FakePeer peer = server.awaitPeer();
        byte[] body = new byte[100 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i; // NULs and non-UTF-8 bytes: a binary body
        }
        int before = peer.webSocketMessages();

        client.send("/queue/big", Map.of("content-type", "application/octet-stream"), body);

        ClientFrame send = peer.awaitReceived("SEND");
        assertThat(send.body()).containsExactly(body);
        assertThat(send.header("content-length")).isEqualTo(String.valueOf(body.length));
        assertThat(peer.webSocketMessages() - before).isGreaterThanOrEqualTo(100 / 16);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectHeaderWithALineBreakIsRejectedBeforeAnyByteIsSent(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, serving());
        client = server.client();

        assertThatThrownBy(() -> client.connectAsync(Map.of("login", "guest", "passcode", "sec\nret-VALUE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("passcode")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sec", "ret-VALUE"));
        assertThatThrownBy(() -> client.connect("guest", "TOP\rSECRET", frame -> { }, error -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOP", "SECRET"));
        assertThatThrownBy(() -> client.connect(Map.of("client-id", "a\nb"), frame -> { }))
                .isInstanceOf(IllegalArgumentException.class);

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                .until(() -> server.connections() == 0 && server.bytesReceived() == 0);
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void passcodeAppearsNowhereButOnTheWire(Mode mode) throws Exception {
        AtomicInteger connections = new AtomicInteger();
        server = FakeStompServer.start(mode, peer -> {
            switch (connections.getAndIncrement()) {
                case 0 -> { // accepted, then an ERROR for a SEND
                    peer.acceptConnect("1.2", "0,0");
                    peer.next("SEND");
                    peer.send("ERROR\nmessage:not allowed\n\nno\0");
                    peer.close();
                }
                case 1 -> { // refused
                    peer.next("CONNECT");
                    peer.send("ERROR\nmessage:Bad credentials\n\n\0");
                    peer.close();
                }
                default -> { } // silent: the connect times out
            }
        });
        Recorder recorder = new Recorder();
        client = server.client().debug(recorder.debug()).connectTimeout(Duration.ofMillis(500));
        List<String> texts = new ArrayList<>();

        client.connect("guest", SECRET, recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
        texts.add(client.toString());
        client.send("/queue/test", Map.of(), "hi");
        StompError lost = recorder.awaitError();
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        Throwable refused = ConnectFakeServerTest.catchCause(client.connectAsync(Map.of("login", "guest", "passcode", SECRET)));
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        Throwable timedOut = ConnectFakeServerTest.catchCause(client.connectAsync(Map.of("passcode", SECRET)));

        assertThat(server.awaitPeer().awaitReceived("CONNECT").header("passcode")).isEqualTo(SECRET);
        assertThat(refused).isInstanceOf(StompErrorFrameException.class);
        assertThat(timedOut).isInstanceOf(StompTimeoutException.class);
        texts.add(client.toString());
        texts.add(lost.message());
        texts.add(lost.toString());
        texts.add(String.valueOf(lost.frame()));
        texts.addAll(describe(lost.cause()));
        texts.addAll(describe(refused));
        texts.addAll(describe(timedOut));
        texts.addAll(recorder.debugLines);
        assertThat(texts).noneMatch(text -> text.contains(SECRET));
        assertThat(recorder.debugLines).anySatisfy(line -> assertThat(line)
                .startsWith(">>> CONNECT\n").contains("\npasscode:***\n", "\nlogin:guest\n"));
        assertThat(recorder.debugLines).anySatisfy(line -> assertThat(line).startsWith("<<< CONNECTED\n"));
        assertThat(recorder.debugLines).anySatisfy(line -> assertThat(line).startsWith("<<< ERROR\n"));
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "WEBSOCKET")
    void credentialsInTheUrlNeverShow(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, peer -> { });
        Recorder recorder = new Recorder();
        client = Stomp.client("ws://guest:" + SECRET + "@127.0.0.1:" + server.port() + "/stomp")
                .connectTimeout(Duration.ofMillis(500));

        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        StompError error = recorder.awaitError();

        List<String> texts = new ArrayList<>(describe(error.cause()));
        texts.add(error.message());
        texts.add(client.toString());
        assertThat(texts).noneMatch(text -> text.contains(SECRET));
        assertThat(error.message()).contains("127.0.0.1:" + server.port());
    }

    /** Every message and toString along a cause chain. */
    static List<String> describe(Throwable failure) {
        List<String> texts = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
        }
        return texts;
    }
}
