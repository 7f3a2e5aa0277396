package dev.jstomp.internal.frame;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Header rules of STOMP 1.2 that jstomp applies on its side of the wire. */
public final class Headers {

    private Headers() {
    }

    /** True for the headers whose values must never be shown. */
    public static boolean isSecret(String name) {
        return "passcode".equals(name.toLowerCase(Locale.ROOT));
    }

    /** CONNECT and CONNECTED are the frames whose headers are not escaped. */
    public static boolean escapes(String command) {
        // A string switch: a frame's command (SEND, MESSAGE, ...) matches no case's hash and costs no comparison.
        return switch (command) {
            case "CONNECT", "CONNECTED", "STOMP" -> false;
            default -> true;
        };
    }

    /** Escapes a header name or value as STOMP 1.2 writes it. */
    public static String escape(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case ':' -> "\\c";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }

    /**
     * Checks headers the caller wants to send. CONNECT cannot escape, so a CR or LF there would
     * split the header line: rejected before anything is sent.
     *
     * @throws IllegalArgumentException naming the header (never its value, which may be a secret)
     */
    public static void validate(String command, Map<String, String> headers) {
        boolean escapes = escapes(command);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException(command + " header names must be non-empty");
            }
            if (value == null) {
                throw new IllegalArgumentException(command + " header '" + name + "' has a null value");
            }
            if (!escapes && (hasLineBreak(name) || hasLineBreak(value) || name.indexOf(':') >= 0)) {
                throw new IllegalArgumentException(command + " header '" + printable(name)
                        + "' contains a line break or a colon in its name; CONNECT headers cannot be escaped "
                        + "(STOMP 1.2), so the frame was not sent");
            }
        }
    }

    /** Spring's decoded native headers to STOMP's view: the first occurrence of a repeated header wins. */
    public static Map<String, String> firstWins(Map<String, List<String>> nativeHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(Math.max(4, nativeHeaders.size() * 2));
        for (Map.Entry<String, List<String>> header : nativeHeaders.entrySet()) {
            List<String> values = header.getValue();
            if (values != null && !values.isEmpty()) {
                headers.put(header.getKey(), values.get(0));
            }
        }
        return headers;
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }

    private static String printable(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r");
    }
}
