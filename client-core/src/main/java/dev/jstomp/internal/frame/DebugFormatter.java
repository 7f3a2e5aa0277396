package dev.jstomp.internal.frame;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Formats frames for the user's {@code debug} hook the way stomp.js does: {@code ">>> "} or
 * {@code "<<< "}, then the command line, the headers, a blank line and the body. The passcode is always
 * replaced by {@code ***}; bodies longer than the limit are cut with a marker saying how much was cut.
 */
public final class DebugFormatter {

    /** The text that stands in for a passcode. */
    public static final String REDACTED = "***";

    private final int maxBodyChars;

    /** @param maxBodyChars bodies longer than this many characters are cut */
    public DebugFormatter(int maxBodyChars) {
        this.maxBodyChars = maxBodyChars;
    }

    /** An outgoing frame. */
    public String outgoing(Frame frame) {
        return format(">>> ", frame);
    }

    /** An incoming frame. */
    public String incoming(Frame frame) {
        return format("<<< ", frame);
    }

    /** An outgoing heart-beat. */
    public String outgoingHeartbeat() {
        return ">>> PING";
    }

    /** An incoming heart-beat. */
    public String incomingHeartbeat() {
        return "<<< PONG";
    }

    private String format(String direction, Frame frame) {
        StringBuilder text = new StringBuilder(64 + Math.min(frame.bodyLength(), maxBodyChars));
        text.append(direction).append(frame.command()).append('\n');
        boolean escape = Headers.escapes(frame.command());
        for (Map.Entry<String, String> header : frame.headers().entrySet()) {
            String name = header.getKey();
            String value = Headers.isSecret(name) ? REDACTED : header.getValue();
            text.append(escape ? Headers.escape(name) : name).append(':')
                    .append(escape ? Headers.escape(value) : value).append('\n');
        }
        text.append('\n');
        appendBody(text, frame, frame.headers().get("content-type"));
        return text.toString();
    }

    private void appendBody(StringBuilder text, Frame frame, String contentType) {
        int length = frame.bodyLength();
        if (length == 0) {
            return;
        }
        byte[] body = frame.bodyArray();
        int offset = frame.bodyOffset();
        if (isBinary(contentType, body, offset, length)) {
            text.append("[binary body, ").append(length).append(" bytes]");
            return;
        }
        // Decode at most what we show (4 bytes per char at worst) so a 16 MiB body costs nothing.
        int decodeLength = (int) Math.min(length, 4L * maxBodyChars + 4);
        String decoded = new String(body, offset, decodeLength, StandardCharsets.UTF_8);
        if (decoded.length() > maxBodyChars || decodeLength < length) {
            text.append(decoded, 0, Math.min(decoded.length(), maxBodyChars))
                    .append("...[cut, body is ").append(length).append(" bytes]");
        } else {
            text.append(decoded);
        }
    }

    private static boolean isBinary(String contentType, byte[] body, int offset, int length) {
        if (contentType != null) {
            String type = contentType.toLowerCase(java.util.Locale.ROOT);
            if (type.startsWith("text/") || type.contains("json") || type.contains("xml")) {
                return false;
            }
            if (type.startsWith("application/octet-stream") || type.startsWith("image/")
                    || type.startsWith("audio/") || type.startsWith("video/")) {
                return true;
            }
        }
        int probe = offset + Math.min(length, 512);
        for (int i = offset; i < probe; i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
