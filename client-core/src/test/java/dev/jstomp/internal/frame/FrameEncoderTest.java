package dev.jstomp.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

/** jstomp's encoder writes the bytes Spring's does, and Spring's decoder reads them back unchanged. */
class FrameEncoderTest {

    static List<Frame> frames() {
        Map<String, String> tricky = new LinkedHashMap<>();
        tricky.put("destination", "/queue/a:b");
        tricky.put("x-escape", "colon:newline\nreturn\rbackslash\\");
        tricky.put("x-utf8", "Grüße 世界 🌍");
        tricky.put("content-length", "999"); // replaced by the real length
        Map<String, String> connect = new LinkedHashMap<>();
        connect.put("accept-version", "1.0,1.1,1.2");
        connect.put("login", "guest");
        connect.put("passcode", "pa:ss\\word");
        byte[] binary = {0, 1, 2, (byte) 0xff, 0, 10, 13};
        return List.of(
                Frame.of("SEND", Map.of("destination", "/queue/x"), "hello".getBytes(StandardCharsets.UTF_8)),
                Frame.of("SEND", Map.of("destination", "/queue/empty"), new byte[0]),
                Frame.of("SEND", tricky, binary),
                Frame.of("CONNECT", connect, new byte[0]),
                Frame.of("SUBSCRIBE", Map.of("id", "s:1", "destination", "/topic/t", "ack", "client"), new byte[0]),
                Frame.of("ACK", Map.of("id", "26,25"), new byte[0]),
                Frame.of("DISCONNECT", Map.of("receipt", "r-1"), new byte[0]));
    }

    @ParameterizedTest
    @MethodSource("frames")
    void writesWhatSpringWrites(Frame frame) {
        assertThat(new String(FrameEncoder.encode(frame), StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(springEncode(frame), StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @MethodSource("frames")
    void springReadsItBack(Frame frame) {
        List<Message<byte[]>> decoded = new StompDecoder().decode(java.nio.ByteBuffer.wrap(FrameEncoder.encode(frame)));
        assertThat(decoded).hasSize(1);
        StompHeaderAccessor accessor = StompHeaderAccessor.wrap(decoded.get(0));
        assertThat(accessor.getCommand().name()).isEqualTo(frame.command());
        assertThat(decoded.get(0).getPayload()).isEqualTo(frame.bodyBytes());
        frame.headers().forEach((name, value) -> {
            if ("passcode".equals(name)) {
                assertThat(accessor.getPasscode()).isEqualTo(value);
            } else if (!"content-length".equals(name)) {
                assertThat(accessor.getFirstNativeHeader(name)).as(name).isEqualTo(value);
            }
        });
    }

    private static byte[] springEncode(Frame frame) {
        StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.valueOf(frame.command()));
        frame.headers().forEach((name, value) -> {
            if ("passcode".equals(name)) {
                accessor.setPasscode(value);
            } else {
                accessor.setNativeHeader(name, value);
            }
        });
        return new StompEncoder().encode(MessageBuilder.createMessage(frame.bodyBytes(), accessor.getMessageHeaders()));
    }

    @Test
    void aSlicedBodyIsWrittenAsItselfWithItsOwnLength() {
        byte[] around = "..payload..".getBytes(StandardCharsets.UTF_8);
        Frame sliced = new Frame("SEND", new LinkedHashMap<>(Map.of("destination", "/q")), around, 2, 7);

        String expected = "SEND\ndestination:/q\ncontent-length:7\n\npayload\0";
        assertThat(new String(FrameEncoder.encode(sliced), StandardCharsets.UTF_8)).isEqualTo(expected);
        ByteBuf target = Unpooled.buffer();
        FrameEncoder.encode(sliced, target);
        assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        target.release();
    }
    /**
     * Pieces of at most 64 bytes: a body that ends a piece exactly (its NUL alone in the next), one piece
     * in all, many, and a head larger than a piece.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 10, 25, 26, 27, 64, 200, 1000})
    void aFrameWrittenInPiecesIsTheSameBytesInBuffersOfAtMostThePieceSize(int bodyLength) {
        byte[] body = new byte[bodyLength];
        for (int i = 0; i < bodyLength; i++) {
            body[i] = (byte) (i % 251);
        }
        for (Frame frame : List.of(Frame.of("SEND", Map.of("destination", "/q/p"), body),
                Frame.of("SEND", Map.of("destination", "/q/p", "x-long", "v".repeat(100)), body))) {
            byte[] whole = FrameEncoder.encode(frame);
            int headLength = whole.length - bodyLength - 1;
            List<ByteBuf> pieces = new java.util.ArrayList<>();
            FrameEncoder.encode(frame, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 64, pieces::add);

            java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < pieces.size(); i++) {
                ByteBuf piece = pieces.get(i);
                assertThat(piece.readableBytes()).isPositive()
                        .isLessThanOrEqualTo(i == 0 ? Math.max(64, headLength) : 64);
                byte[] bytes = new byte[piece.readableBytes()];
                piece.readBytes(bytes);
                joined.writeBytes(bytes);
                piece.release();
            }
            assertThat(joined.toByteArray()).isEqualTo(whole);
            assertThat(pieces).hasSize(headLength > 64 ? 1 + (bodyLength + 1 + 63) / 64
                    : (whole.length + 63) / 64);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 9, 10, 99, 100, 999, 1000, 65_535, 1_048_576, 10_000_000})
    void contentLengthIsTheBodysLengthInDecimal(int length) {
        Frame frame = Frame.of("SEND", Map.of("destination", "/queue/n"), new byte[length]);
        byte[] encoded = FrameEncoder.encode(frame);
        String head = new String(encoded, 0, Math.min(encoded.length, 80), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("SEND\ndestination:/queue/n\ncontent-length:" + length + "\n\n");
        assertThat(encoded).hasSize(head.indexOf("\n\n") + 2 + length + 1);
    }
    /** Frames appended to a batch array come out as their own bytes, one after the other. */
    @ParameterizedTest
    @MethodSource("frames")
    void aBatchHoldsEachFrameAsItsOwnBytes(Frame frame) {
        FrameEncoder.Batch batch = new FrameEncoder.Batch();
        FrameEncoder.encode(frame, batch);
        FrameEncoder.encode(frame, batch);
        byte[] one = FrameEncoder.encode(frame);
        byte[] two = java.util.Arrays.copyOf(one, 2 * one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        assertThat(java.util.Arrays.copyOf(batch.array(), batch.size())).isEqualTo(two);

        batch.truncate(one.length);
        assertThat(java.util.Arrays.copyOf(batch.array(), batch.size())).isEqualTo(one);
        batch.clear(1024 * 1024);
        assertThat(batch.size()).isZero();
    }
}
