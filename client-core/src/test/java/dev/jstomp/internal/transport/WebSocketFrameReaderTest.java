package dev.jstomp.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;

import dev.jstomp.internal.frame.Frame;

/** How bodies come out of WebSocket messages: the copies the reader makes, and frames across messages. */
class WebSocketFrameReaderTest {

    private static final String BODY = "é".repeat(600); // 1,200 bytes of UTF-8
    private static final String FRAME = "MESSAGE\ndestination:/queue/a\ncontent-length:1200\n\n" + BODY + "\0";

    private final WebSocketFrameReader reader = new WebSocketFrameReader(64 * 1024);

    @Test
    void aLargeBodyOfATextMessageStaysInTheArrayTheTextWasEncodedInto() {
        Frame frame = reader.read(new TextMessage(FRAME)).get(0);

        assertThat(frame.body()).isEqualTo(BODY);
        // Not copied out again: the body is a slice of the message's bytes (the frame is a few bytes longer).
        assertThat(frame.bodyArray().length).isEqualTo(FRAME.getBytes(StandardCharsets.UTF_8).length);
        assertThat(frame.bodyOffset()).isPositive();
    }

    @Test
    void aBinaryMessageIsTheContainersBufferSoBodiesAreCopiedOut() {
        byte[] payload = FRAME.getBytes(StandardCharsets.UTF_8);
        Frame frame = reader.read(new BinaryMessage(ByteBuffer.wrap(payload))).get(0);

        assertThat(frame.bodyArray()).isNotSameAs(payload).hasSize(1200);
        payload[payload.length - 2] = 'X'; // the container reusing its buffer must not change a delivered body
        assertThat(frame.body()).isEqualTo(BODY);
    }

    @Test
    void aTextFrameSplitOverMessagesArrivesWholeAndOwnsItsBody() {
        int cut = FRAME.indexOf('é') + 300; // inside the body
        assertThat(reader.read(new TextMessage(FRAME.substring(0, cut), false))).isEmpty();
        List<Frame> frames = reader.read(new TextMessage(FRAME.substring(cut) + FRAME));

        assertThat(frames).extracting(Frame::body).containsExactly(BODY, BODY);
        // The first was filled into its own array as its parts came.
        assertThat(frames.get(0).bodyArray()).hasSize(1200);
    }

    @Test
    void smallFramesOfOneTextMessageAreCopiedSoNoneKeepsTheOthersAlive() {
        List<Frame> frames = reader.read(new TextMessage("MESSAGE\n\nfirst\0MESSAGE\n\nsecond\0\n"));

        assertThat(frames).extracting(Frame::command).containsExactly("MESSAGE", "MESSAGE", "HEARTBEAT");
        assertThat(frames.get(0).bodyArray()).hasSize(5);
        assertThat(frames.get(1).bodyArray()).hasSize(6);
    }
}
