package dev.jstomp.internal.frame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The commands and header names brokers send in nearly every frame, matched against the bytes read so that
 * the parser makes no {@code String} for them, and the last value of each such header, reused while the
 * broker repeats it (a subscription's destination, subscription id, priority, content-length, ...). A
 * received MESSAGE then costs new Strings only for the values that change, such as its message-id.
 */
final class HeaderNames {

    private HeaderNames() {
    }

    /** The names matched, none with a character STOMP escapes (so the bytes are the name). */
    static final String[] NAMES = {"destination", "message-id", "subscription", "content-length", "content-type",
        "ack", "expires", "priority", "persistent", "timestamp", "redelivered", "receipt-id", "message",
        "version", "heart-beat", "server", "session", "correlation-id", "reply-to", "type", "x-queue-name",
        "__AMQ_CID", "_AMQ_ROUTING_TYPE", "destination-type"};
    static final int CONTENT_LENGTH = 3;
    /** Names whose value is new in every frame (message-id, ack, receipt-id): never worth remembering. */
    private static final boolean[] UNIQUE = new boolean[NAMES.length];

    static {
        for (String unique : new String[] {"message-id", "ack", "receipt-id"}) {
            UNIQUE[Arrays.asList(NAMES).indexOf(unique)] = true;
        }
    }

    private static final int[][] NAMES_BY_LENGTH = byLength(NAMES);

    /** Every command, client's and server's. */
    static final String[] COMMANDS = {"MESSAGE", "RECEIPT", "ERROR", "CONNECTED", "CONNECT", "STOMP", "SEND",
        "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT"};

    private static final int[][] COMMANDS_BY_LENGTH = byLength(COMMANDS);
    private static final byte[][] NAME_BYTES = bytes(NAMES);
    private static final byte[][] COMMAND_BYTES = bytes(COMMANDS);

    private static byte[][] bytes(String[] texts) {
        byte[][] bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }

    /** For each length, the indexes of the texts of that length: a lookup compares a few candidates at most. */
    private static int[][] byLength(String[] texts) {
        int longest = 0;
        for (String text : texts) {
            longest = Math.max(longest, text.length());
        }
        int[][] table = new int[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int finalLength = length;
            table[length] = java.util.stream.IntStream.range(0, texts.length)
                    .filter(i -> texts[i].length() == finalLength).toArray();
        }
        return table;
    }

    /** The index in {@link #NAMES} of the name in {@code [from, to)}, or -1. */
    static int find(byte[] in, int from, int to) {
        return match(NAMES_BY_LENGTH, NAME_BYTES, in, from, to);
    }

    /** The command in {@code [from, to)} as one of {@link #COMMANDS}, or null when it is none of them. */
    static String command(byte[] in, int from, int to) {
        int i = match(COMMANDS_BY_LENGTH, COMMAND_BYTES, in, from, to);
        return i < 0 ? null : COMMANDS[i];
    }

    private static int match(int[][] byLength, byte[][] texts, byte[] in, int from, int to) {
        int length = to - from;
        if (length >= byLength.length) {
            return -1;
        }
        for (int c : byLength[length]) {
            if (equal(texts[c], in, from)) {
                return c;
            }
        }
        return -1;
    }

    private static boolean equal(byte[] candidate, byte[] in, int from) {
        return Arrays.equals(candidate, 0, candidate.length, in, from, from + candidate.length);
    }

    /** One parser's last value of each known header (one reader, so no locking). */
    static final class LastValues {

        private final String[] last = new String[NAMES.length];
        /** The bytes of each remembered value, compared with one intrinsic (no loop of ours for the JIT). */
        private final byte[][] lastBytes = new byte[NAMES.length][];
        /** Whether each remembered value is the unescaped text of its bytes (STOMP 1.2 frames but CONNECTED). */
        private final boolean[] lastUnescaped = new boolean[NAMES.length];

        /**
         * The value in {@code [from, to)}, unescaped if asked: the last one of this header when the bytes (and
         * the unescaping) are the same, else a new String, remembered (with its bytes) when it is short. A
         * repeated value is neither decoded nor scanned for escapes again.
         */
        String value(int name, byte[] in, int from, int to, boolean unescape) {
            if (UNIQUE[name]) {
                String value = FrameParser.text(in, from, to);
                return unescape ? FrameParser.unescape(value) : value;
            }
            byte[] previous = lastBytes[name];
            if (previous != null && lastUnescaped[name] == unescape
                    && Arrays.equals(previous, 0, previous.length, in, from, to)) {
                return last[name];
            }
            String value = FrameParser.text(in, from, to);
            if (unescape) {
                value = FrameParser.unescape(value);
            }
            boolean remember = to - from <= 256;
            last[name] = remember ? value : null;
            lastBytes[name] = remember ? Arrays.copyOfRange(in, from, to) : null;
            lastUnescaped[name] = unescape;
            return value;
        }
    }
}
