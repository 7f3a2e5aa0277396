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
    private final int maxFrameSize;
    private ByteBuffer leftover = ByteBuffer.allocate(0);

    WebSocketFrameReader(int maxFrameSize) {
        this.parser = new FrameParser(maxFrameSize);
        this.maxFrameSize = maxFrameSize;
    }

    /** The frames completed by this message; what is left of a partial frame waits for the next. */
    List<Frame> read(WebSocketMessage<?> message) {
        ByteBuffer data;
        if (message instanceof TextMessage text) {
            data = ByteBuffer.wrap(text.asBytes());
        } else if (message instanceof BinaryMessage binary) {
            data = binary.getPayload();
        } else {
            return List.of(); // pong
        }
        ByteBuffer input = data;
        if (leftover.hasRemaining()) {
            if ((long) leftover.remaining() + data.remaining() > maxFrameSize + 4L) {
                throw SizeLimitedStompCodec.tooLarge(maxFrameSize);
            }
            input = ByteBuffer.allocate(leftover.remaining() + data.remaining()).put(leftover).put(data).flip();
        }
        List<Frame> frames = parser.parse(input);
        leftover = input.hasRemaining() ? ByteBuffer.allocate(input.remaining()).put(input).flip() : ByteBuffer.allocate(0);
        return frames;
    }

    /** A malformed frame that followed the good ones of the last message; report it after delivering them. */
    RuntimeException failureAfterFrames() {
        return parser.failure();
    }
}
