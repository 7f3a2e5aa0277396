package dev.jstomp.internal.frame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    /** The body is bodyArray[bodyOffset, bodyOffset + bodyLength): a received body may be a slice of the
     * message it came in, which saves copying it out (see FrameParser). */
    private final byte[] bodyArray;
    private final int bodyOffset;
    private final int bodyLength;

    /**
     * @param command the wire command
     * @param headers taken as is: callers hand over a map nobody else holds
     * @param body taken as is, not copied (the hot path avoids copies)
     */
    public Frame(String command, Map<String, String> headers, byte[] body) {
        this(command, headers, body == null ? EMPTY : body, 0, body == null ? 0 : body.length);
    }

    /**
     * A frame whose body is a slice of a larger array, shared, not copied; nobody may write to that array.
     *
     * @param command the wire command
     * @param headers taken as is: callers hand over a map nobody else holds
     * @param array holds the body at {@code [offset, offset + length)}
     */
    public Frame(String command, Map<String, String> headers, byte[] array, int offset, int length) {
        this.command = Objects.requireNonNull(command, "command");
        // A parser's HeaderMap is read-only already: no view around it (one object less per received frame).
        this.headers = headers instanceof HeaderMap ? headers : Collections.unmodifiableMap(headers);
        Objects.checkFromIndexSize(offset, length, array.length);
        this.bodyArray = array;
        this.bodyOffset = offset;
        this.bodyLength = length;
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
        return bodyLength == 0 ? "" : new String(bodyArray, bodyOffset, bodyLength, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] binaryBody() {
        return bodyLength == 0 ? EMPTY : Arrays.copyOfRange(bodyArray, bodyOffset, bodyOffset + bodyLength);
    }

    /**
     * The body as an array of its own length, for jstomp's encoders: without a copy for the frames they
     * see (built whole), a copy for a received body that is a slice. Never modify it.
     */
    public byte[] bodyBytes() {
        return bodyOffset == 0 && bodyLength == bodyArray.length ? bodyArray : binaryBody();
    }

    /** The array holding the body, from {@link #bodyOffset()} for {@link #bodyLength()} bytes; never modify it. */
    public byte[] bodyArray() {
        return bodyArray;
    }

    /** Where the body starts in {@link #bodyArray()}. */
    public int bodyOffset() {
        return bodyOffset;
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return bodyLength;
    }

    @Override
    public String toString() {
        // Never the headers: a CONNECT frame holds the passcode.
        return command + " frame (" + bodyLength + " bytes of body)";
    }
}
