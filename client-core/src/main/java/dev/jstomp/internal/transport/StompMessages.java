package dev.jstomp.internal.transport;

import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import dev.jstomp.internal.frame.Frame;

/** Converts jstomp frames to the Spring messages its STOMP encoder writes. */
final class StompMessages {

    static final StompEncoder ENCODER = new StompEncoder();

    static final Message<byte[]> HEARTBEAT = MessageBuilder.createMessage(
            new byte[] {'\n'}, StompHeaderAccessor.createForHeartbeat().getMessageHeaders());

    private StompMessages() {
    }

    static Message<byte[]> toMessage(Frame frame) {
        StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.valueOf(frame.command()));
        for (Map.Entry<String, String> header : frame.headers().entrySet()) {
            if ("passcode".equals(header.getKey())) {
                // Spring keeps the passcode out of its native headers (and so out of its logs).
                accessor.setPasscode(header.getValue());
            } else {
                accessor.setNativeHeader(header.getKey(), header.getValue());
            }
        }
        return MessageBuilder.createMessage(frame.bodyBytes(), accessor.getMessageHeaders());
    }

    static byte[] encode(Frame frame) {
        return dev.jstomp.internal.frame.FrameEncoder.encode(frame);
    }
}
