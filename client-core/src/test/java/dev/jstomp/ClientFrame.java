package dev.jstomp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A frame as the client wrote it. Header names and values are as on the wire (still escaped);
 * {@code raw} is the whole frame without its NUL.
 */
public record ClientFrame(String command, List<Map.Entry<String, String>> headers, byte[] body, byte[] raw) {

    /** The first value of a header, as on the wire. */
    public @Nullable String header(String name) {
        return headers.stream().filter(h -> h.getKey().equals(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return command + headers;
    }
}
