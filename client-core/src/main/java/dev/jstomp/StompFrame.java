package dev.jstomp;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An immutable STOMP frame as received from (or sent to) a broker.
 *
 * <p>Headers are unescaped per STOMP 1.2. When a header is repeated on the wire, the first occurrence
 * wins, as the specification says.
 */
public interface StompFrame {

    /** The command as written on the wire: {@code "CONNECTED"}, {@code "MESSAGE"}, {@code "ERROR"}, ... */
    String command();

    /** The frame's headers, unmodifiable, in wire order. */
    Map<String, String> headers();

    /**
     * The value of one header.
     *
     * @param name the header name, case-sensitive as in STOMP
     * @return the value, or {@code null} when the frame has no such header
     */
    default @Nullable String header(String name) {
        return headers().get(name);
    }

    /** The body decoded as UTF-8 text; {@code ""} when the frame has no body. */
    String body();

    /** A copy of the body's bytes; an empty array when the frame has no body. */
    byte[] binaryBody();
}
