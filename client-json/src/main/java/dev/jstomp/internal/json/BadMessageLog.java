package dev.jstomp.internal.json;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.StompMessage;
import dev.jstomp.json.StompJsonException;

/** The default error handler of a JSON subscription: one WARN line per message that could not be read. */
public final class BadMessageLog implements BiConsumer<StompMessage, StompJsonException> {

    /** Logged under the public type's name, the one users know to configure. */
    static final Logger LOG = LoggerFactory.getLogger("dev.jstomp.json.StompJson");

    /** How much of the body the log line shows. */
    static final int BODY_CHARS = 200;

    private final String ackMode;

    /** @param ackMode the subscription's {@code ack} header ({@code auto} when it set none) */
    public BadMessageLog(String ackMode) {
        this.ackMode = ackMode;
    }

    @Override
    public void accept(StompMessage message, StompJsonException e) {
        if (LOG.isWarnEnabled()) {
            LOG.warn(describe(message, e, ackMode));
        }
    }

    /** The log line: the exception's text (destination, message-id, type, problem), what became of it, the body's start. */
    static String describe(StompMessage message, StompJsonException e, String ackMode) {
        String fate = "auto".equals(ackMode) ? "It was dropped (ack: auto)."
                : "It was not acknowledged (ack: " + ackMode + "), so the broker can redeliver or dead-letter it.";
        byte[] body = message.binaryBody();
        return e.getMessage() + ". " + fate + " Body (" + body.length + " bytes): " + bodyStart(body);
    }

    /** The first {@value #BODY_CHARS} characters, on one line; only the first bytes are decoded, whatever the size. */
    static String bodyStart(byte[] body) {
        // 4 bytes per character at most in UTF-8: enough bytes for BODY_CHARS characters, never the whole 5 MiB.
        int bytes = Math.min(body.length, BODY_CHARS * 4);
        String text = new String(body, 0, bytes, StandardCharsets.UTF_8);
        boolean cut = bytes < body.length;
        if (text.length() > BODY_CHARS) {
            int end = Character.isHighSurrogate(text.charAt(BODY_CHARS - 1)) ? BODY_CHARS - 1 : BODY_CHARS;
            text = text.substring(0, end);
            cut = true;
        }
        StringBuilder line = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else if (Character.isISOControl(c)) {
                line.append(String.format("\\u%04x", c));
            } else {
                line.appendCodePoint(c);
            }
        });
        return cut ? line.append("...").toString() : line.toString();
    }
}
