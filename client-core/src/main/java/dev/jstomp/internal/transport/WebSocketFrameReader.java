package dev.jstomp.internal.transport;

import java.nio.ByteBuffer;
import java.util.List;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameParser;

/**
 * Reassembles STOMP frames from WebSocket messages: a frame may span messages (RabbitMQ and jstomp itself
 * split large ones) and a message may hold several frames. Parses with {@link FrameParser}, so the size
 * limit and the no-lost-frames rule are the same as over TCP. One per connection; one reader thread.
 */
final class WebSocketFrameReader {

    private final FrameParser parser;
    /** Bytes received but not yet parsed live in buffer[start, end); it grows by doubling, so a frame
     * spread over many messages is copied a constant number of times on average. */
    private byte[] buffer = new byte[0];
    private int start;
    private int end;

    WebSocketFrameReader(int maxFrameSize) {
        this.parser = new FrameParser(maxFrameSize);
    }

    /** The frames completed by this message; what is left of a partial frame waits for the next. */
    List<Frame> read(WebSocketMessage<?> message) {
        ByteBuffer data;
        boolean ours;
        if (message instanceof TextMessage text) {
            // JSR-356 hands text over decoded; encoding it back makes a fresh array nobody else holds, so
            // large bodies may stay in it instead of being copied out once more.
            data = ByteBuffer.wrap(text.asBytes());
            ours = true;
        } else if (message instanceof BinaryMessage binary) {
            data = binary.getPayload(); // the container's buffer, perhaps reused: bodies are copied out
            ours = false;
        } else {
            return List.of(); // pong
        }
        List<Frame> frames;
        if (start == end) {
            // Nothing pending (the usual case): parse the message where it is, keep only an incomplete tail.
            frames = parser.parse(data, ours);
            start = 0;
            end = 0;
            if (data.hasRemaining()) {
                append(data);
            }
        } else {
            append(data);
            ByteBuffer input = ByteBuffer.wrap(buffer, start, end - start);
            frames = parser.parse(input);
            start = input.position();
            if (start == end) {
                start = 0;
                end = 0;
            }
        }
        // No size check here: the parser refuses an oversized frame as it scans, after the good ones.
        return frames;
    }

    private void append(ByteBuffer data) {
        int length = data.remaining();
        if (end + length > buffer.length) {
            int pending = end - start;
            byte[] target = pending + length > buffer.length
                    ? new byte[Math.max(buffer.length * 2, pending + length)] : buffer;
            System.arraycopy(buffer, start, target, 0, pending);
            buffer = target;
            start = 0;
            end = pending;
        }
        data.get(buffer, end, length);
        end += length;
    }

    /** A malformed frame that followed the good ones of the last message; report it after delivering them. */
    RuntimeException failureAfterFrames() {
        return parser.failure();
    }
}
