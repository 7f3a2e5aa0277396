package dev.jstomp.internal.transport;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

import dev.jstomp.internal.frame.Frame;

/**
 * Carries a parsed jstomp frame through Spring's Reactor Netty client, whose codec contract speaks
 * {@code Message<byte[]>}. The headers are a shared empty set: the frame has its own, and building Spring's
 * (a random id and a timestamp per frame) is the cost the parser exists to avoid.
 */
record FrameMessage(Frame frame) implements Message<byte[]> {

    private static final MessageHeaders NONE = new MessageHeaders(null);

    @Override
    public byte[] getPayload() {
        return frame.bodyBytes();
    }

    @Override
    public MessageHeaders getHeaders() {
        return NONE;
    }
}
