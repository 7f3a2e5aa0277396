package dev.jstomp.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;

/**
 * The WebSocket sink's message boundaries, byte for byte, on a Spring session over a recording JSR-356
 * remote (Tyrus's place): one message per frame until a stream-reading broker is known, then batches that
 * never cut a frame unless it alone exceeds the message size.
 */
class WebSocketSinkTest {

    private static final int MAX = 1000;

    private final Recording remote = new Recording();
    private final ClosingConnection connection = new ClosingConnection();
    private final WebSocketSink sink = new WebSocketSink(remote.session(), null, connection, new RecordingHandler(), MAX);

    @Test
    void untilCONNECTEDEachFrameIsOneMessageTextWhenTheBodyIsUtf8() throws Exception {
        Frame text = send("Grüße");
        Frame binary = send(new byte[] {0, (byte) 0xff, 1});

        sink.write(text);
        sink.write(binary);
        sink.writeHeartbeat();
        sink.flush();

        assertThat(remote.kinds()).containsExactly("text", "binary", "text");
        assertThat(remote.messages.get(0).bytes).isEqualTo(FrameEncoder.encode(text));
        assertThat(remote.messages.get(1).bytes).isEqualTo(FrameEncoder.encode(binary));
        assertThat(remote.messages.get(2).bytes).containsExactly('\n');
    }

    @Test
    void onlyBrokersKnownToReadAStreamTurnCoalescingOn() {
        sink.connectedTo("ActiveMQ/5.17.2");
        assertThat(sink.coalescing()).as("ActiveMQ Classic: text only, one frame per message").isFalse();
        sink.connectedTo(null);
        assertThat(sink.coalescing()).as("no server header").isFalse();
        sink.connectedTo("RabbitMQ/3.10.8");
        assertThat(sink.coalescing()).isTrue();
        sink.connectedTo("ActiveMQ-Artemis/2.55.0 ActiveMQ Artemis Messaging Engine");
        assertThat(sink.coalescing()).isTrue();
    }

    @Test
    void aRunOfFramesGoesAsOneBinaryMessageOnFlush() throws Exception {
        sink.connectedTo("RabbitMQ/3.10.8");
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(i % 2 == 0 ? send("m" + i) : send(new byte[] {0, (byte) i, (byte) 0xc3}));
        }
        for (Frame frame : frames) {
            sink.write(frame);
        }
        assertThat(remote.messages).as("nothing before the flush").isEmpty();

        sink.flush();
        sink.flush();

        assertThat(remote.kinds()).containsExactly("binary");
        assertThat(remote.messages.get(0).bytes).isEqualTo(stream(frames));
    }

    @Test
    void batchesStayWithinTheMessageSizeAndEndOnFrameBoundaries() throws Exception {
        sink.connectedTo("ActiveMQ-Artemis/2.55.0");
        Random random = new Random(7);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] body = new byte[random.nextInt(i % 50 == 0 ? 3 * MAX : MAX / 3)];
            random.nextBytes(body);
            frames.add(send(body));
        }
        for (int i = 0; i < frames.size(); i++) {
            sink.write(frames.get(i));
            if (i % 97 == 0) {
                sink.flush();
            }
        }
        sink.flush();

        assertThat(remote.kinds()).containsOnly("binary");
        assertThat(remote.messages).allSatisfy(m -> assertThat(m.bytes.length).isBetween(1, MAX));
        assertThat(concat(remote.messages)).as("every byte, in order").isEqualTo(stream(frames));
        // A message may end inside a frame only while sending the parts of a frame larger than MAX.
        Set<Integer> frameEnds = new HashSet<>();
        Set<Integer> insideLargeFrames = new HashSet<>();
        int offset = 0;
        for (Frame frame : frames) {
            int length = FrameEncoder.encode(frame).length;
            if (length > MAX) {
                for (int cut = offset + MAX; cut < offset + length; cut += MAX) {
                    insideLargeFrames.add(cut);
                }
            }
            offset += length;
            frameEnds.add(offset);
        }
        int end = 0;
        for (Recorded message : remote.messages) {
            end += message.bytes.length;
            assertThat(frameEnds.contains(end) || insideLargeFrames.contains(end))
                    .as("message ending at %d ends a frame or a full part of a large one", end).isTrue();
        }
    }

    @Test
    void aFrameLargerThanTheMessageSizeGoesAfterThePendingOnesInParts() throws Exception {
        sink.connectedTo("RabbitMQ/3.10.8");
        Frame small = send("before");
        Frame large = send(new byte[2 * MAX + 500]);
        Map<String, String> hugeHeader = new LinkedHashMap<>(Map.of("destination", "/queue/q"));
        hugeHeader.put("x-big", "h".repeat(MAX + 10));
        Frame largeHead = new Frame("SEND", hugeHeader, "tiny".getBytes(StandardCharsets.UTF_8));
        Frame after = send("after");

        sink.write(small);
        sink.write(large);
        sink.write(largeHead);
        sink.write(after);
        sink.flush();

        int largeLength = FrameEncoder.encode(large).length;
        int largeHeadLength = FrameEncoder.encode(largeHead).length;
        List<Integer> sizes = remote.messages.stream().map(m -> m.bytes.length).toList();
        assertThat(sizes).containsExactly(FrameEncoder.encode(small).length,
                MAX, MAX, largeLength - 2 * MAX,
                MAX, largeHeadLength - MAX,
                FrameEncoder.encode(after).length);
        assertThat(concat(remote.messages)).isEqualTo(stream(List.of(small, large, largeHead, after)));
    }

    @Test
    void aHeartbeatLeavesAtOnceBehindThePendingFrames() throws Exception {
        sink.connectedTo("RabbitMQ/3.10.8");
        Frame frame = send("x");
        sink.write(frame);

        sink.writeHeartbeat();

        byte[] expected = Arrays.copyOf(FrameEncoder.encode(frame), FrameEncoder.encode(frame).length + 1);
        expected[expected.length - 1] = '\n';
        assertThat(remote.messages).hasSize(1);
        assertThat(remote.messages.get(0).bytes).isEqualTo(expected);
    }

    @Test
    void aFailedSendThrowsAndDropsWhatWasPending() throws Exception {
        sink.connectedTo("RabbitMQ/3.10.8");
        sink.write(send("lost 1"));
        sink.write(send("lost 2"));
        remote.failing = true;

        assertThatThrownBy(sink::flush).isInstanceOf(IOException.class).hasMessageContaining("broken pipe");

        remote.failing = false;
        sink.flush();
        assertThat(remote.messages).as("nothing resent, half or whole").isEmpty();
        Frame next = send("next");
        sink.write(next);
        sink.flush();
        assertThat(remote.messages).hasSize(1);
        assertThat(remote.messages.get(0).bytes).isEqualTo(FrameEncoder.encode(next));
    }

    @Test
    void closeNeverThrowsAndDropsWhatWasPending() throws Exception {
        sink.connectedTo("RabbitMQ/3.10.8");
        sink.write(send("never sent"));
        connection.failOnClose = true;

        assertThatCode(sink::close).doesNotThrowAnyException();
        assertThatCode(sink::close).doesNotThrowAnyException();
        sink.flush(); // what StompConnection does once closed
        assertThat(remote.messages).isEmpty();
        assertThat(connection.closes).isEqualTo(2);
        assertThatThrownBy(() -> sink.write(send("late"))).isInstanceOf(IOException.class);
    }

    @Test
    void aSessionThatMayKeepThePayloadGetsItsOwnCopy() throws Exception {
        List<ByteBuffer> kept = new ArrayList<>();
        WebSocketSession lazy = (WebSocketSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketSession.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendMessage")) {
                        kept.add(((BinaryMessage) args[0]).getPayload()); // held, not copied, as an async sender might
                    }
                    return null;
                });
        WebSocketSink lazySink = new WebSocketSink(lazy, null, connection, new RecordingHandler(), MAX);
        lazySink.connectedTo("RabbitMQ/3.10.8");
        Frame first = send("first");
        Frame second = send("second, longer than the first");

        lazySink.write(first);
        lazySink.flush();
        lazySink.write(second);
        lazySink.flush();

        assertThat(kept).hasSize(2);
        assertThat(bytes(kept.get(0))).isEqualTo(FrameEncoder.encode(first));
        assertThat(bytes(kept.get(1))).isEqualTo(FrameEncoder.encode(second));
    }

    private static Frame send(String body) {
        return send(body.getBytes(StandardCharsets.UTF_8));
    }

    private static Frame send(byte[] body) {
        return Frame.of("SEND", Map.of("destination", "/queue/q"), body);
    }

    private static byte[] stream(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(frame -> out.writeBytes(FrameEncoder.encode(frame)));
        return out.toByteArray();
    }

    private static byte[] concat(List<Recorded> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages.forEach(m -> out.writeBytes(m.bytes));
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private record Recorded(String kind, byte[] bytes) {
    }

    /** A JSR-356 session whose basic remote records each message as Tyrus would: copied when it is sent. */
    private static final class Recording {
        final List<Recorded> messages = new ArrayList<>();
        volatile boolean failing;

        List<String> kinds() {
            return messages.stream().map(Recorded::kind).toList();
        }

        WebSocketSession session() {
            RemoteEndpoint.Basic basic = (RemoteEndpoint.Basic) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Basic.class}, (proxy, method, args) -> {
                        if (failing) {
                            throw new IOException("broken pipe");
                        }
                        switch (method.getName()) {
                            case "sendText" -> messages.add(new Recorded("text",
                                    ((String) args[0]).getBytes(StandardCharsets.UTF_8)));
                            case "sendBinary" -> messages.add(new Recorded("binary", bytes((ByteBuffer) args[0])));
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            Session nativeSession = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Session.class},
                    (proxy, method, args) -> method.getName().equals("getBasicRemote") ? basic : null);
            StandardWebSocketSession session = new StandardWebSocketSession(null, null, null, null);
            session.initializeNativeSession(nativeSession);
            return session;
        }
    }

    private static final class ClosingConnection implements TcpConnection<byte[]> {
        int closes;
        boolean failOnClose;

        @Override
        public CompletableFuture<Void> sendAsync(Message<byte[]> message) {
            throw new UnsupportedOperationException("the sink writes to the WebSocket session");
        }

        @Override
        public void onReadInactivity(Runnable runnable, long duration) {
        }

        @Override
        public void onWriteInactivity(Runnable runnable, long duration) {
        }

        @Override
        public void close() {
            closes++;
            if (failOnClose) {
                throw new IllegalStateException("already closed");
            }
        }
    }
}
