package dev.jstomp.internal.transport;

import java.nio.ByteBuffer;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.tcp.reactor.AbstractNioBufferReactorNettyCodec;

import dev.jstomp.StompProtocolException;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameParser;

/**
 * Reads one TCP connection's frames with jstomp's {@link FrameParser} (size limit, any header text, no lost
 * frames) and hands them to the connection right here, on the Netty I/O thread (TcpTransport's decoder calls
 * it for each read; bytes of an incomplete frame head stay in Netty's cumulation). A Spring codec by type,
 * from when Spring's Reactor Netty client drove it; its encoding half is unused, since the sinks write
 * encoded frames to the channel.
 */
final class InboundFrameCodec extends AbstractNioBufferReactorNettyCodec<byte[]> {

    private final FrameParser parser;
    // Only for Spring's sendAsync, which jstomp never calls: its sinks write encoded frames to the channel.
    private final StompEncoder encoder = new StompEncoder();
    private volatile @Nullable TransportHandler handler;

    InboundFrameCodec(int maxFrameSize) {
        this.parser = new FrameParser(maxFrameSize);
    }

    /** The connection that gets the frames; set before the transport opens. */
    void deliverTo(TransportHandler target) {
        this.handler = target;
    }

    @Override
    protected List<Message<byte[]>> decodeInternal(ByteBuffer buffer) {
        TransportHandler target = handler;
        if (target == null) {
            throw new IllegalStateException("no connection to deliver frames to");
        }
        // Any byte is a sign of life, also the first ones of a frame too large to arrive within a beat.
        target.onActivity();
        List<Frame> frames = parser.parse(buffer);
        if (!frames.isEmpty()) {
            target.onFrames(frames); // the callbacks' threads are woken once per read, not once per frame
        }
        RuntimeException failure = parser.failure();
        if (failure != null) {
            throw failure; // the good frames before it are delivered; Spring reports this as the failure
        }
        return List.of();
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
