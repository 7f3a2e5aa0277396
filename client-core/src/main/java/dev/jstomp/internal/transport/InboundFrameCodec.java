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
 * The codec jstomp plugs into Spring's Reactor Netty client. Frames are read by jstomp's
 * {@link FrameParser} (size limit, any header text, no lost frames) and handed to the connection right
 * here, on the Netty I/O thread: returned to Spring, each would first cross its {@code publishOn} to the
 * {@code tcp-client-scheduler} thread, one thread hop per frame before jstomp's own hop to the
 * subscription's callback lane. Spring still reports the connection's end (after every frame, since it
 * comes later on the same I/O thread). Writing does not come through here.
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
        for (Frame frame : parser.parse(buffer)) {
            target.onFrame(frame);
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
