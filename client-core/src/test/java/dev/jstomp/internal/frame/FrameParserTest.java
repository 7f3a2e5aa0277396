package dev.jstomp.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jstomp.StompProtocolException;

/** Byte-level fixtures for the inbound parser, in the spirit of Spring's StompDecoderTests. */
class FrameParserTest {

    private final FrameParser parser = new FrameParser(1024);

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneFrameWithHeadersAndBody() {
        List<Frame> frames = parser.parse(bytes("MESSAGE\nsubscription:s-1\ndestination:/queue/a\n\nhello\0"));
        assertThat(frames).hasSize(1);
        Frame frame = frames.get(0);
        assertThat(frame.command()).isEqualTo("MESSAGE");
        assertThat(frame.headers()).containsEntry("subscription", "s-1").containsEntry("destination", "/queue/a");
        assertThat(frame.body()).isEqualTo("hello");
    }

    @Test
    void fedOneByteAtATimeGivesTheSameFrames() {
        byte[] input = ("MESSAGE\r\nx:1\r\ncontent-length:3\r\n\r\na\0b\0\n\nRECEIPT\nreceipt-id:r\n\n\0")
                .getBytes(StandardCharsets.UTF_8);
        List<Frame> frames = new ArrayList<>();
        ByteBuffer pending = ByteBuffer.allocate(0);
        for (byte b : input) {
            ByteBuffer next = ByteBuffer.allocate(pending.remaining() + 1).put(pending).put(b).flip();
            frames.addAll(parser.parse(next));
            pending = next;
        }
        assertThat(frames).extracting(Frame::command)
                .containsExactly("MESSAGE", "HEARTBEAT", "HEARTBEAT", "RECEIPT");
        assertThat(frames.get(0).binaryBody()).containsExactly('a', 0, 'b');
        assertThat(frames.get(0).header("x")).isEqualTo("1");
    }

    @Test
    void incompleteFrameLeavesTheBufferAtItsStart() {
        ByteBuffer buffer = bytes("MESSAGE\nsubscription:s\n\nno NUL yet");
        assertThat(parser.parse(buffer)).isEmpty();
        assertThat(buffer.position()).isZero();
    }

    @Test
    void headersAreUnescapedAndTheFirstOfARepeatedOneWins() {
        Frame frame = parser.parse(bytes("MESSAGE\nx:a\\cb\\nc\\\\d\\re\nx:second\n\n\0")).get(0);
        assertThat(frame.header("x")).isEqualTo("a:b\nc\\d\re");
    }

    @Test
    void connectedHeadersAreNotUnescaped() {
        Frame frame = parser.parse(bytes("CONNECTED\nserver:a\\b\n\n\0")).get(0);
        assertThat(frame.header("server")).isEqualTo("a\\b");
    }

    @Test
    void anyContentTypeTextIsKept() {
        // Spring's decoder throws InvalidMimeTypeException here and the connection dies.
        Frame frame = parser.parse(bytes("MESSAGE\ncontent-type:json\n\n{}\0")).get(0);
        assertThat(frame.header("content-type")).isEqualTo("json");
    }

    @Test
    void utf8HeadersAndBody() {
        Frame frame = parser.parse(bytes("MESSAGE\nx-name:Grüße 世界\n\n🌍\0")).get(0);
        assertThat(frame.header("x-name")).isEqualTo("Grüße 世界");
        assertThat(frame.body()).isEqualTo("🌍");
    }

    @Test
    void goodFramesBeforeABadOneAreReturnedAndTheFailureComesNext() {
        ByteBuffer buffer = bytes("MESSAGE\nsubscription:s\n\nfirst\0FOO\n\n\0");
        assertThat(parser.parse(buffer)).extracting(Frame::body).containsExactly("first");
        assertThat(parser.failure()).hasMessageContaining("unknown command 'FOO'");
        assertThatThrownBy(() -> parser.parse(buffer)).isInstanceOf(StompProtocolException.class);
    }

    @Test
    void malformedFramesAreProtocolErrors() {
        assertThatThrownBy(() -> new FrameParser(1024).parse(bytes("MESSAGE\nx:a\\tb\n\n\0")))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("Illegal escape sequence");
        assertThatThrownBy(() -> new FrameParser(1024).parse(bytes("MESSAGE\ncontent-length:2\n\nabc\0")))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("null octet");
        assertThatThrownBy(() -> new FrameParser(1024).parse(bytes("MESSAGE\nno colon here\n\n\0")))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("header line");
        assertThatThrownBy(() -> new FrameParser(1024).parse(bytes("HTTP/1.1 400 Bad Request\r\n\r\n")))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("is this a STOMP endpoint");
    }

    @Test
    void framesOverTheLimitFailWhileReading() {
        assertThatThrownBy(() -> parser.parse(bytes("MESSAGE\ncontent-length:5000\n\n")))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("1024");
        assertThatThrownBy(() -> new FrameParser(1024).parse(bytes("MESSAGE\nx:" + "a".repeat(2000))))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("maxFrameSize");
    }

    @Test
    void aHandedOverBufferKeepsALargeBodyInPlace() {
        String body = "x".repeat(200);
        byte[] input = ("MESSAGE\ndestination:/queue/a\ncontent-length:200\n\n" + body + "\0")
                .getBytes(StandardCharsets.UTF_8);
        Frame frame = parser.parse(ByteBuffer.wrap(input), true).get(0);
        assertThat(frame.bodyArray()).isSameAs(input);
        assertThat(frame.bodyLength()).isEqualTo(200);
        assertThat(frame.body()).isEqualTo(body);
        assertThat(frame.binaryBody()).hasSize(200).isNotSameAs(input);
    }

    @Test
    void aHandedOverBufferKeepsABodyWithoutContentLengthInPlaceToo() {
        String body = "é".repeat(100); // 200 bytes
        byte[] input = ("MESSAGE\ndestination:/queue/a\n\n" + body + "\0\n").getBytes(StandardCharsets.UTF_8);
        List<Frame> frames = parser.parse(ByteBuffer.wrap(input), true);
        assertThat(frames).extracting(Frame::command).containsExactly("MESSAGE", "HEARTBEAT");
        assertThat(frames.get(0).bodyArray()).isSameAs(input);
        assertThat(frames.get(0).body()).isEqualTo(body);
    }

    @Test
    void smallBodiesAreCopiedOutEvenOfAHandedOverBuffer() {
        // Two frames whose bodies are each less than half the buffer: sharing would keep the other alive.
        byte[] input = ("MESSAGE\nn:1\n\nfirst body\0MESSAGE\nn:2\n\nsecond body\0").getBytes(StandardCharsets.UTF_8);
        List<Frame> frames = parser.parse(ByteBuffer.wrap(input), true);
        assertThat(frames).extracting(Frame::body).containsExactly("first body", "second body");
        assertThat(frames).allSatisfy(f -> assertThat(f.bodyArray()).isNotSameAs(input).hasSize(f.bodyLength()));
    }

    @Test
    void aBufferNotHandedOverIsNeverShared() {
        byte[] input = ("MESSAGE\ncontent-length:100\n\n" + "y".repeat(100) + "\0").getBytes(StandardCharsets.UTF_8);
        Frame frame = parser.parse(ByteBuffer.wrap(input)).get(0);
        assertThat(frame.bodyArray()).isNotSameAs(input).hasSize(100);
        assertThat(frame.body()).isEqualTo("y".repeat(100));
    }

    @Test
    void aBodyOfKnownLengthIsFilledFromEachReadWithoutTheCallerKeepingAnyBytes() {
        FrameParser big = new FrameParser(1 << 20);
        byte[] body = new byte[100_000];
        new java.util.Random(7).nextBytes(body);
        byte[] head = "MESSAGE\nsubscription:s\ncontent-length:100000\n\n".getBytes(StandardCharsets.UTF_8);
        byte[] wire = new byte[head.length + body.length + 1 + "RECEIPT\nreceipt-id:r\n\n\0".length()];
        System.arraycopy(head, 0, wire, 0, head.length);
        System.arraycopy(body, 0, wire, head.length, body.length);
        byte[] after = "\0RECEIPT\nreceipt-id:r\n\n\0".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(after, 0, wire, head.length + body.length, after.length);

        List<Frame> frames = new ArrayList<>();
        int read = 8 * 1024;
        for (int at = 0; at < wire.length; at += read) {
            ByteBuffer chunk = ByteBuffer.wrap(wire, at, Math.min(read, wire.length - at)).slice();
            frames.addAll(big.parse(chunk));
            // Once the head is in, nothing is left for the caller to keep: the body went into its array.
            assertThat(chunk.hasRemaining()).as("bytes left after the read at %d", at).isFalse();
        }
        assertThat(frames).extracting(Frame::command).containsExactly("MESSAGE", "RECEIPT");
        assertThat(frames.get(0).bodyArray()).isEqualTo(body);
        assertThat(frames.get(0).header("subscription")).isEqualTo("s");
    }

    @Test
    void theNulAfterAFilledBodyMayComeInAReadOfItsOwn() {
        assertThat(parser.parse(bytes("MESSAGE\ncontent-length:5\n\nhel"))).isEmpty();
        assertThat(parser.parse(bytes("lo"))).isEmpty();
        List<Frame> frames = parser.parse(bytes("\0\n"));
        assertThat(frames).extracting(Frame::command).containsExactly("MESSAGE", "HEARTBEAT");
        assertThat(frames.get(0).body()).isEqualTo("hello");
    }

    @Test
    void aFilledBodyWithoutItsNulIsMalformedAndStaysSo() {
        assertThat(parser.parse(bytes("MESSAGE\ncontent-length:5\n\nhel"))).isEmpty();
        assertThatThrownBy(() -> parser.parse(bytes("loX")))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("null octet after its content-length of 5");
        assertThatThrownBy(() -> parser.parse(bytes("MESSAGE\n\n\0")))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("null octet");
    }
}
