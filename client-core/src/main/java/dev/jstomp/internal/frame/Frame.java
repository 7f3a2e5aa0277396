package dev.jstomp.internal.frame;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.jstomp.StompFrame;

/** The immutable {@link StompFrame} used for every frame jstomp reads or writes. */
public class Frame implements StompFrame {

    private static final byte[] EMPTY = new byte[0];

    private final String command;
    private final Map<String, String> headers;
    private final byte[] body;

    /**
     * @param command the wire command
     * @param headers taken as is: callers hand over a map nobody else holds
     * @param body taken as is, not copied (the hot path avoids copies)
     */
    public Frame(String command, Map<String, String> headers, byte[] body) {
        this.command = Objects.requireNonNull(command, "command");
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body == null ? EMPTY : body;
    }

    /** A frame with a copy of the given headers. */
    public static Frame of(String command, Map<String, String> headers, byte[] body) {
        return new Frame(command, new LinkedHashMap<>(headers), body);
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String body() {
        return body.length == 0 ? "" : new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] binaryBody() {
        return body.length == 0 ? EMPTY : body.clone();
    }

    /** The body without a copy, for jstomp's own encoders; never modify it. */
    public byte[] bodyBytes() {
        return body;
    }

    @Override
    public String toString() {
        // Never the headers: a CONNECT frame holds the passcode.
        return command + " frame (" + body.length + " bytes of body)";
    }
}
