package dev.jstomp.cli;

import java.util.Locale;

import dev.jstomp.StompFrame;

/** How a message body is shown to people: text as text, JSON pretty-printed on request, binary summarised. */
final class MessageText {

    private MessageText() {
    }

    /**
     * The body for printing.
     *
     * @param message the message
     * @param prettyJson pretty-print bodies that are valid JSON
     */
    static String body(StompFrame message, boolean prettyJson) {
        byte[] bytes = message.binaryBody();
        if (isBinary(message.header("content-type"), bytes)) {
            return "[binary body, " + Texts.plural(bytes.length, "byte") + "]";
        }
        String text = message.body();
        if (prettyJson) {
            String pretty = Json.pretty(text);
            if (pretty != null) {
                return pretty;
            }
        }
        return text;
    }

    private static boolean isBinary(String contentType, byte[] body) {
        if (contentType != null) {
            String type = contentType.toLowerCase(Locale.ROOT);
            if (type.startsWith("text/") || type.contains("json") || type.contains("xml")) {
                return false;
            }
            if (type.startsWith("application/octet-stream")) {
                return true;
            }
        }
        for (byte b : body) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
