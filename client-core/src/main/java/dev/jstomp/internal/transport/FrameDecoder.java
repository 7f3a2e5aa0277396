package dev.jstomp.internal.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Spring's STOMP decoder, made safe for a client: an inbound size limit (without one, an endless frame
 * from a broken broker is buffered until the heap runs out), and no loss of the good frames read in the
 * same chunk before a malformed one (Spring's decoder drops them when it throws). One per connection.
 */
final class FrameDecoder {

    private final StompDecoder decoder = new StompDecoder();
    private final int maxFrameSize;
    /** A malformed frame found behind good ones; thrown on the next read, after the good ones are out. */
    private RuntimeException pendingFailure;

    FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Decodes the complete frames in the buffer and leaves its position after the last one.
     *
     * @throws RuntimeException for a malformed or oversized frame
     */
    List<Message<byte[]>> decode(ByteBuffer buffer) {
        if (pendingFailure != null) {
            throw pendingFailure;
        }
        int start = buffer.position();
        List<Message<byte[]>> messages;
        try {
            MultiValueMap<String, String> partialHeaders = new LinkedMultiValueMap<>();
            messages = decoder.decode(buffer, partialHeaders);
            if (buffer.remaining() > maxFrameSize || declaredLength(partialHeaders) > maxFrameSize) {
                throw SizeLimitedStompCodec.tooLarge(maxFrameSize);
            }
        } catch (RuntimeException failure) {
            buffer.position(start);
            messages = decodeGoodPrefix(buffer);
            if (messages.isEmpty()) {
                throw failure;
            }
            pendingFailure = failure;
        }
        return messages;
    }

    /** The failure found behind good frames in the last read, if any (for readers with no "next read"). */
    RuntimeException pendingFailure() {
        return pendingFailure;
    }

    /**
     * Decodes frame by frame, each time offering the decoder the bytes up to the next NUL (a NUL inside a
     * body with content-length just means "not complete yet": try up to the next one), until one fails.
     */
    private List<Message<byte[]>> decodeGoodPrefix(ByteBuffer buffer) {
        List<Message<byte[]>> good = new ArrayList<>();
        int frameStart = buffer.position();
        int end = frameStart;
        while (true) {
            int nul = nextNul(buffer, end, buffer.limit());
            if (nul < 0) {
                return good;
            }
            ByteBuffer candidate = buffer.duplicate();
            candidate.position(frameStart).limit(nul + 1);
            List<Message<byte[]>> decoded;
            try {
                decoded = decoder.decode(candidate);
            } catch (RuntimeException bad) {
                buffer.position(frameStart);
                return good;
            }
            if (decoded.isEmpty()) {
                end = nul + 1;
                continue;
            }
            good.addAll(decoded);
            frameStart = candidate.position();
            end = frameStart;
            buffer.position(frameStart);
        }
    }

    private static int nextNul(ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer.get(i) == 0) {
                return i;
            }
        }
        return -1;
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
