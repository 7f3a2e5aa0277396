package dev.jstomp.cli;

import java.util.Arrays;

/**
 * The send time and the due time that a {@code jstomp perf} message carries at the start of its body:
 * {@code jpf:} and the two {@link System#nanoTime()} values as 16 hex digits each (36 ASCII bytes), the rest
 * of the body {@code x}. In the body rather than in headers, so that the broker and both clients handle a
 * frame of exactly {@code --size} bytes of body and no headers of perf's own, as an application's (and the
 * benchmark runner's) messages are: a broker keeps every header (Artemis as a message property) and writes it
 * back on every MESSAGE, work that would be perf's and not the workload's. Bodies shorter than
 * {@link #LENGTH} cannot hold it, and
 * bodies over {@link #MAX_BODY} would be copied whole on receipt ({@code binaryBody()}) to read 36 bytes;
 * those carry the times in the headers {@code jstomp-perf-sent} and {@code jstomp-perf-due} instead.
 */
final class PerfStamp {

    /** Bytes the stamp takes at the start of a body. */
    static final int LENGTH = 36;
    /** The largest body that carries the stamp (larger ones use headers). */
    static final int MAX_BODY = 4096;

    private static final byte[] MARKER = {'j', 'p', 'f', ':'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private PerfStamp() {
    }

    /** Whether bodies of this size carry the stamp (otherwise the times go in headers). */
    static boolean fitsIn(int bodySize) {
        return bodySize >= LENGTH && bodySize <= MAX_BODY;
    }

    /**
     * A new body: the template's bytes with the stamp over its first {@link #LENGTH}; a new array each time,
     * because the client does not copy a body handed to {@code send}.
     */
    static byte[] stamped(byte[] template, long sentNanos, long dueNanos) {
        byte[] body = Arrays.copyOf(template, template.length);
        System.arraycopy(MARKER, 0, body, 0, MARKER.length);
        hex(sentNanos, body, 4);
        hex(dueNanos, body, 20);
        return body;
    }

    /** Whether the body starts with a well-formed stamp (a message of someone else's may not). */
    static boolean carries(byte[] body) {
        if (body.length < LENGTH) {
            return false;
        }
        for (int i = 0; i < MARKER.length; i++) {
            if (body[i] != MARKER[i]) {
                return false;
            }
        }
        for (int i = MARKER.length; i < LENGTH; i++) {
            if (digit(body[i]) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The send time of a body that {@link #carries} a stamp. */
    static long sent(byte[] body) {
        return unhex(body, 4);
    }

    /** The due time of a body that {@link #carries} a stamp (the send time when not paced). */
    static long due(byte[] body) {
        return unhex(body, 20);
    }

    private static void hex(long value, byte[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private static long unhex(byte[] from, int at) {
        long value = 0;
        for (int i = 0; i < 16; i++) {
            value = (value << 4) | digit(from[at + i]);
        }
        return value;
    }

    private static int digit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }
}
