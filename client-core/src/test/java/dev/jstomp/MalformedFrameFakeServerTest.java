package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jstomp.FakeStompServer.Mode;

/**
 * Broken and oversized frames from the broker after CONNECTED: each must end the connection with a
 * {@link StompProtocolException} that says what was wrong, close the socket, and leave nothing hanging.
 */
class MalformedFrameFakeServerTest {

    private static final int LIMIT = 64 * 1024;
    private static final int ONE_MIB = 1024 * 1024;

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    static Stream<Arguments> malformedFrames() {
        byte[] garbage = {(byte) 0xC3, 0x28, (byte) 0xFF, 0x01, 0x02, 0x7F, '\n', (byte) 0x80, 0x00, 0x13};
        String shortBody = "MESSAGE\nsubscription:sub-1\nmessage-id:1\ndestination:/queue/test\ncontent-length:100\n\n"
                + "short\0" + "garbage-after-the-frame ".repeat(10);
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            cases.add(Arguments.of(mode, "invalid header escape",
                    bytes("MESSAGE\nsubscription:sub-1\nmessage-id:1\ndestination:/queue/test\nfoo:a\\tb\n\nbody\0"),
                    "malformed frame", "Illegal escape sequence"));
            cases.add(Arguments.of(mode, "content-length longer than the body", bytes(shortBody),
                    "malformed frame", "null octet"));
            cases.add(Arguments.of(mode, "unknown command", bytes("FOO\nbar:baz\n\n\0"), "unknown command", "STOMP"));
            cases.add(Arguments.of(mode, "binary garbage", garbage, "unknown command", "STOMP"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedFrames")
    void malformedFrameEndsTheConnectionWithAProtocolError(Mode mode, String description, byte[] frame,
            String expected, String alsoExpected) throws Exception {
        StompError error = failureAfter(mode, LIMIT, peer -> peer.sendBytes(frame));

        assertThat(error.message()).contains(expected, alsoExpected);
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void oversizedFrameIsRejectedWithTheLimitInTheMessage(Mode mode) throws Exception {
        StompError error = failureAfter(mode, LIMIT, peer -> peer.send(oneMibMessage()));

        assertThat(error.message()).contains(String.valueOf(LIMIT), "maxFrameSize");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "TCP")
    void endlessHeaderLineIsRejectedAtTheLimit(Mode mode) throws Exception {
        StompError error = failureAfter(mode, LIMIT, peer -> peer.send(endlessHeaderLine()));

        assertThat(error.message()).contains(String.valueOf(LIMIT), "maxFrameSize");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "WEBSOCKET")
    void oversizedFrameInOneWebSocketMessageIsRejectedWithTheLimitInTheMessage(Mode mode) throws Exception {
        StompError error = failureAfter(mode, LIMIT, peer -> peer.send(oneMibMessage()));

        assertThat(error.message()).contains(String.valueOf(LIMIT), "maxFrameSize");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "WEBSOCKET")
    void endlessHeaderLineInOneWebSocketMessageIsRejectedAtTheLimit(Mode mode) throws Exception {
        StompError error = failureAfter(mode, LIMIT, peer -> peer.send(endlessHeaderLine()));

        assertThat(error.message()).contains(String.valueOf(LIMIT), "maxFrameSize");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "WEBSOCKET")
    void oversizedFrameSplitAcrossWebSocketMessagesIsRejectedAtTheLimit(Mode mode) throws Exception {
        byte[] frame = bytes(FakeStompServer.messageFrame("sub-1", "m-1", "y".repeat(ONE_MIB)));
        StompError error = failureAfter(mode, LIMIT, peer -> {
            for (int from = 0; from < frame.length; from += 16 * 1024) {
                peer.sendBytes(Arrays.copyOfRange(frame, from, Math.min(frame.length, from + 16 * 1024)));
            }
        });

        assertThat(error.message()).contains(String.valueOf(LIMIT), "maxFrameSize");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void frameJustUnderTheLimitIsDelivered(Mode mode) throws Exception {
        String body = "z".repeat(LIMIT - 1024);
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            peer.send(FakeStompServer.messageFrame(id, "m-1", body));
            peer.serveReceipts();
        });
        Recorder recorder = new Recorder();
        client = server.client().maxFrameSize(LIMIT);
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
        BlockingQueue<StompMessage> messages = new LinkedBlockingQueue<>();

        client.subscribe("/queue/test", messages::add);

        StompMessage message = messages.poll(5, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(message.body()).isEqualTo(body);
        assertThat(recorder.errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void framesBeforeAMalformedOneInTheSameReadAreStillDelivered(Mode mode) throws Exception {
        BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            // One write (one WebSocket message): a good MESSAGE, then a frame with an unknown command.
            peer.send(FakeStompServer.messageFrame(id, "m-1", "delivered before the bad frame") + "FOO\n\n\0");
        });
        Recorder recorder = new Recorder();
        client = server.client();
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();

        client.subscribe("/queue/test", message -> bodies.add(message.body()));

        assertThat(recorder.awaitError().cause()).isInstanceOf(StompProtocolException.class);
        assertThat(bodies.poll(2, TimeUnit.SECONDS)).isEqualTo("delivered before the bad frame");
    }

    private static String oneMibMessage() {
        return FakeStompServer.messageFrame("sub-1", "m-1", "x".repeat(ONE_MIB), "content-length:" + ONE_MIB);
    }

    private static String endlessHeaderLine() {
        return "MESSAGE\nsubscription:sub-1\nx-endless:" + "a".repeat(ONE_MIB);
    }

    /**
     * Connects with the given frame limit and subscribes; once the broker has the SUBSCRIBE (so CONNECTED
     * was surely read on its own), the script misbehaves. Returns the one error reported.
     */
    private StompError failureAfter(Mode mode, int maxFrameSize, FakeStompServer.Script misbehave) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.next("SUBSCRIBE");
            misbehave.run(peer);
        });
        Recorder recorder = new Recorder();
        client = server.client().maxFrameSize(maxFrameSize);
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
        client.subscribe("/queue/test", message -> { });

        StompError error = recorder.awaitError();

        assertThat(error.cause()).isInstanceOf(StompProtocolException.class);
        assertThat(error.frame()).isNull();
        assertThat(error.message()).contains("127.0.0.1:" + server.port());
        await().atMost(Duration.ofSeconds(2)).until(() -> client.state() == ConnectionState.DISCONNECTED);
        server.awaitPeer().closedFuture().get(3, TimeUnit.SECONDS);
        assertThat(recorder.errors).as("one failure, reported once").isEmpty();
        return error;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
