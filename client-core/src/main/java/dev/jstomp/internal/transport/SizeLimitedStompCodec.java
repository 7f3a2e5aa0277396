package dev.jstomp.internal.transport;

import java.nio.ByteBuffer;
import java.util.List;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.tcp.reactor.AbstractNioBufferReactorNettyCodec;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import dev.jstomp.StompProtocolException;

/**
 * Spring's STOMP codec for Reactor Netty, plus the inbound size limit Spring's TCP path lacks: without
 * it, an endless frame from a broken broker would be buffered until the heap runs out.
 */
final class SizeLimitedStompCodec extends AbstractNioBufferReactorNettyCodec<byte[]> {

    private final StompDecoder decoder = new StompDecoder();
    private final StompEncoder encoder = StompMessages.ENCODER;
    private final int maxFrameSize;

    SizeLimitedStompCodec(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected List<Message<byte[]>> decodeInternal(ByteBuffer buffer) {
        MultiValueMap<String, String> partialHeaders = new LinkedMultiValueMap<>();
        List<Message<byte[]>> messages = decoder.decode(buffer, partialHeaders);
        if (buffer.remaining() > maxFrameSize || declaredLength(partialHeaders) > maxFrameSize) {
            throw tooLarge(maxFrameSize);
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

    private static long declaredLength(MultiValueMap<String, String> headers) {
        String length = headers.getFirst("content-length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
