package dev.jstomp.bench.jmh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;
import dev.jstomp.internal.frame.FrameParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The codec half of the send and receive paths, single-threaded, per frame.
 *
 * <p>Send: jstomp's {@code FrameEncoder} (client-core since 94669aa); the Spring path jstomp used before it
 * ({@code StompMessages}: a {@code StompHeaderAccessor} and a {@code Message} per frame, then Spring's
 * {@code StompEncoder}); Spring's encoder alone on a message built once; and the floor (a pre-encoded head
 * and one copy of the body).
 *
 * <p>Receive: jstomp's {@code FrameParser} (since 8499e05), and Spring's {@code StompDecoder}, on a buffer of
 * 1,000 MESSAGE frames as Artemis writes them; Spring's alone and followed by the
 * conversion jstomp's {@code StompConnection.onFrame} did up to b173a77 (wrap the headers in an accessor,
 * copy them to a native-header map, then to a first-wins map, then a {@code Frame}). And one frame of a text
 * WebSocket message, its body left in place or copied out (allocation per frame shows the copy).
 *
 * <p>Only public types are used ({@code Frame}, {@code FrameEncoder}, {@code FrameParser} are public classes of client-core's
 * internal package), so the benchmark survives refactorings of the package-private transport code.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {

    static final int FRAMES = 1000;

    @State(Scope.Thread)
    public static class Send {
        @Param({"128", "1024", "16384"})
        int bodySize;

        Frame frame;
        Message<byte[]> message;
        StompEncoder encoder;
        byte[] head;
        byte[] body;

        @Setup
        public void setUp() {
            body = Fixtures.body(bodySize);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("destination", Fixtures.DESTINATION);
            frame = new Frame("SEND", headers, body);
            encoder = new StompEncoder();
            message = springMessage(frame);
            head = ("SEND\ndestination:" + Fixtures.DESTINATION + "\ncontent-length:" + bodySize + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    @State(Scope.Thread)
    public static class Receive {
        @Param({"128", "16384"})
        int bodySize;

        ByteBuffer frames;
        StompDecoder decoder;
        FrameParser parser;

        @Setup
        public void setUp() {
            frames = ByteBuffer.wrap(Fixtures.messages(bodySize, FRAMES));
            decoder = new StompDecoder();
            parser = new FrameParser(32 * 1024 * 1024);
        }
    }

    /** One MESSAGE frame as a WebSocket text message hands it over: decoded to a String by the container. */
    @State(Scope.Thread)
    public static class TextReceive {
        @Param({"1024", "16384", "1048576"})
        int bodySize;

        String text;
        FrameParser parser;

        @Setup
        public void setUp() {
            text = new String(Fixtures.message(bodySize, 1000L), StandardCharsets.UTF_8);
            parser = new FrameParser(32 * 1024 * 1024);
        }
    }

    /** What client-core's StompMessages.toMessage did before 94669aa. */
    static Message<byte[]> springMessage(Frame frame) {
        StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.valueOf(frame.command()));
        for (Map.Entry<String, String> header : frame.headers().entrySet()) {
            accessor.setNativeHeader(header.getKey(), header.getValue());
        }
        return MessageBuilder.createMessage(frame.bodyBytes(), accessor.getMessageHeaders());
    }

    /** jstomp's encoder to an exact array (WebSocket before batching; SockJS). */
    @Benchmark
    public byte[] encodeJstompFrameEncoder(Send s) {
        return FrameEncoder.encode(s.frame);
    }

    /**
     * jstomp's TCP send path today: the frame appended to a pooled direct buffer, the body's only copy
     * before the socket (the buffer is released here, as Netty does once it is written).
     */
    @Benchmark
    public int encodeJstompIntoPooledDirectBuffer(Send s) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        try {
            FrameEncoder.encode(s.frame, buffer);
            return buffer.readableBytes();
        } finally {
            buffer.release();
        }
    }

    /** jstomp's send encoding before 94669aa: Frame -> accessor + Message -> StompEncoder -> byte[]. */
    @Benchmark
    public byte[] encodeSpringAsJstompDid(Send s) {
        return s.encoder.encode(springMessage(s.frame));
    }

    /** Spring's StompEncoder on a message built once. */
    @Benchmark
    public byte[] encodeSpringEncoderOnly(Send s) {
        return s.encoder.encode(s.message);
    }

    /** The floor: a pre-encoded head and one copy of the body into the frame. */
    @Benchmark
    public byte[] encodeFloorOneCopy(Send s) {
        byte[] out = new byte[s.head.length + s.body.length + 1];
        System.arraycopy(s.head, 0, out, 0, s.head.length);
        System.arraycopy(s.body, 0, out, s.head.length, s.body.length);
        return out;
    }

    /** jstomp's own parser (client-core since 8499e05) on 1,000 MESSAGE frames; scores are frames per second. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public List<Frame> decodeJstompFrameParser(Receive r) {
        return r.parser.parse(r.frames.duplicate());
    }

    /** Spring's StompDecoder on 1,000 MESSAGE frames in one buffer; scores are frames per second. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public List<Message<byte[]>> decodeSpring(Receive r) {
        return r.decoder.decode(r.frames.duplicate());
    }

    /** The same, then the per-frame conversion StompConnection.onFrame did before jstomp's own parser. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public List<Frame> decodeSpringAndConvertAsJstompDid(Receive r) {
        List<Message<byte[]>> messages = r.decoder.decode(r.frames.duplicate());
        List<Frame> frames = new ArrayList<>(messages.size());
        for (Message<byte[]> message : messages) {
            StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
            Map<String, List<String>> nativeHeaders = accessor.toNativeHeaderMap();
            Map<String, String> headers = new LinkedHashMap<>(Math.max(4, nativeHeaders.size() * 2));
            for (Map.Entry<String, List<String>> header : nativeHeaders.entrySet()) {
                List<String> values = header.getValue();
                if (values != null && !values.isEmpty()) {
                    headers.put(header.getKey(), values.get(0));
                }
            }
            frames.add(new Frame(accessor.getCommand().name(), headers, message.getPayload()));
        }
        return frames;
    }

    /**
     * A text WebSocket message as {@code WebSocketFrameReader} reads it since a3e07f6: the String encoded to
     * a fresh array (the conversion the text API forces), the body left in that array.
     */
    @Benchmark
    public List<Frame> decodeTextMessageBodyInPlace(TextReceive t) {
        return t.parser.parse(ByteBuffer.wrap(t.text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** The same before a3e07f6: the body copied out of the encoded array once more. */
    @Benchmark
    public List<Frame> decodeTextMessageBodyCopied(TextReceive t) {
        return t.parser.parse(ByteBuffer.wrap(t.text.getBytes(StandardCharsets.UTF_8)), false);
    }
}
