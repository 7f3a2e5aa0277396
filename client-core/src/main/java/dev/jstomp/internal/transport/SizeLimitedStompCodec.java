package dev.jstomp.internal.transport;

import java.nio.ByteBuffer;
import java.util.List;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.tcp.reactor.AbstractNioBufferReactorNettyCodec;

import dev.jstomp.StompProtocolException;

/** Spring's STOMP codec for Reactor Netty, decoding through {@link FrameDecoder} (size limit, no lost frames). */
final class SizeLimitedStompCodec extends AbstractNioBufferReactorNettyCodec<byte[]> {

    private final FrameDecoder decoder;
    private final StompEncoder encoder = StompMessages.ENCODER;

    SizeLimitedStompCodec(int maxFrameSize) {
        this.decoder = new FrameDecoder(maxFrameSize);
    }

    @Override
    protected List<Message<byte[]>> decodeInternal(ByteBuffer buffer) {
        return decoder.decode(buffer);
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
