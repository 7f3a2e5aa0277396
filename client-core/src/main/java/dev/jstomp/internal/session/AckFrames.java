package dev.jstomp.internal.session;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.jstomp.StompException;
import dev.jstomp.StompProtocolException;
import dev.jstomp.internal.frame.Frame;

/** Builds ACK and NACK frames the way the negotiated STOMP version wants them. */
final class AckFrames {

    private AckFrames() {
    }

    /**
     * @param command "ACK" or "NACK"
     * @param message the MESSAGE being acknowledged
     * @param version the negotiated version
     * @param extra further headers, such as {@code transaction}
     */
    static Frame build(String command, Frame message, String version, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (version) {
            case "1.2" -> {
                String ack = message.header("ack");
                if (ack == null) {
                    throw new StompException("Cannot " + command + " this message: it has no 'ack' header, so its "
                            + "subscription uses ack:auto; subscribe with ack: client or client-individual");
                }
                headers.put("id", ack);
            }
            case "1.1" -> {
                headers.put("message-id", required(message, "message-id", command));
                headers.put("subscription", required(message, "subscription", command));
            }
            default -> {
                if ("NACK".equals(command)) {
                    throw new StompProtocolException("Cannot NACK: the broker negotiated STOMP " + version
                            + ", and NACK exists from STOMP 1.1 on", null);
                }
                headers.put("message-id", required(message, "message-id", command));
            }
        }
        extra.forEach((name, value) -> {
            if (!headers.containsKey(name)) {
                headers.put(name, value);
            }
        });
        return new Frame(command, headers, new byte[0]);
    }

    private static String required(Frame message, String header, String command) {
        String value = message.header(header);
        if (value == null) {
            throw new StompProtocolException("Cannot " + command + " this message: the broker sent it without a '"
                    + header + "' header", null);
        }
        return value;
    }
}
