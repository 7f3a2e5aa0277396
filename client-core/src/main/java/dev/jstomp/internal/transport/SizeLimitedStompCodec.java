package dev.jstomp.internal.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.tcp.reactor.AbstractNioBufferReactorNettyCodec;

import dev.jstomp.StompProtocolException;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameParser;

/**
 * The codec jstomp plugs into Spring's Reactor Netty client: frames are read by jstomp's
 * {@link FrameParser} (size limit, any header text, no lost frames). Writing does not come through here.
 */
final class SizeLimitedStompCodec extends AbstractNioBufferReactorNettyCodec<byte[]> {

    private final FrameParser parser;
    // Only for Spring's sendAsync, which jstomp never calls: its sinks write encoded frames to the channel.
    private final StompEncoder encoder = new StompEncoder();

    SizeLimitedStompCodec(int maxFrameSize) {
        this.parser = new FrameParser(maxFrameSize);
    }

    @Override
    protected List<Message<byte[]>> decodeInternal(ByteBuffer buffer) {
        List<Frame> frames = parser.parse(buffer);
        List<Message<byte[]>> messages = new ArrayList<>(frames.size());
        for (Frame frame : frames) {
            messages.add(new FrameMessage(frame));
        }
        return messages;
    }

    @Override
    protected ByteBuffer encodeInternal(Message<byte[]> message) {
        return ByteBuffer.wrap(encoder.encode(message));
    }

    static StompProtocolException tooLarge(int limit) {
        return new StompProtocolException("an inbound frame is larger than the limit of " + limit
                + " bytes; raise StompClient.maxFrameSize(...) if the broker really sends frames that large", null);
    }
}
