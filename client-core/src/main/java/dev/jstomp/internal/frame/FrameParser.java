package dev.jstomp.internal.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompProtocolException;

/**
 * Reads STOMP 1.2 frames from bytes as they arrive. Replaces Spring's {@code StompDecoder} on jstomp's
 * inbound path because that one (a) fails the whole connection on a {@code content-type} that is not a
 * valid MIME type (any producer can set one), (b) drops the good frames of a read when a later one is bad,
 * and (c) builds a {@code MessageHeaders} (random id, timestamp) per frame. This parser keeps every header
 * as text, enforces a size limit while reading, and reports the first malformed frame after the good ones.
 *
 * <p>Not thread-safe: one per connection, fed by one reader.
 */
public final class FrameParser {

    /** Stands for a heart-beat (an EOL between frames) in the parser's output. */
    public static final Frame HEARTBEAT = new Frame("HEARTBEAT", Map.of(), new byte[0]);

    private static final Set<String> SERVER_COMMANDS = Set.of("CONNECTED", "MESSAGE", "RECEIPT", "ERROR");
    private static final Set<String> CLIENT_COMMANDS = Set.of("CONNECT", "STOMP", "SEND", "SUBSCRIBE",
            "UNSUBSCRIBE", "ACK", "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT");

    private final int maxFrameSize;
    /** The last value of each known header, reused while the broker repeats it. */
    private final HeaderNames.LastValues values = new HeaderNames.LastValues();
    private StompProtocolException failure;
    /**
     * Where (from the start of the incomplete frame) the element the last call could not finish began (a
     * line, or a body without content-length), and how far it was scanned without finding its end. The
     * next call resumes that scan there, so a large frame arriving in many reads costs linear time.
     */
    private int pendingElement = -1;
    private int pendingScanned;
    /** Whether the buffer of the current {@link #parse} call may be kept by the frames read from it. */
    private boolean shareBodies;
    /**
     * A frame whose head has been read and whose body, of a known content-length, is filled from the
     * reads as they come: straight into its own array, so that the caller need not keep (and its
     * transport merge) the bytes of an incomplete frame.
     */
    private @Nullable PendingBody pendingBody;
    /** The content-length of the body {@link #bodyEnd} found incomplete. */
    private int incompleteLength;

    /** The bytes of the current {@link #parse} call, [.., limit) of them to read; null between calls. */
    private byte[] bytes;
    private int limit;
    /** Where the last line or frame read ends: the index of the next one. */
    private int cursor;

    /** What {@link #next} returns for a frame whose body is now being filled: the buffer is consumed. */
    private static final Frame BODY_PENDING = new Frame("BODY_PENDING", Map.of(), new byte[0]);
    private static final int INCOMPLETE = -1;
    private static final int INCOMPLETE_WITH_LENGTH = -2;

    private static final class PendingBody {
        final String command;
        final HeaderMap headers;
        final byte[] body;
        int filled;

        PendingBody(String command, HeaderMap headers, byte[] body, int filled) {
            this.command = command;
            this.headers = headers;
            this.body = body;
            this.filled = filled;
        }
    }

    /** @param maxFrameSize the largest frame accepted, headers and body together */
    public FrameParser(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Reads the complete frames in the buffer (and heart-beats, as {@link #HEARTBEAT}) and leaves the
     * buffer's position at the start of the first incomplete one. Except when that one has its head and
     * a content-length: then what has come of its body is taken into the frame's body array (the buffer is
     * consumed), and the next calls fill the rest from their buffers.
     *
     * @throws StompProtocolException for a malformed or oversized frame, once the good frames before it
     *     have been returned (the failure is then thrown by the next call)
     */
    public List<Frame> parse(ByteBuffer buffer) {
        return parse(buffer, false);
    }

    /**
     * Like {@link #parse(ByteBuffer)}, but when the caller gives the buffer away ({@code handOver}), a
     * body that fills at least half of the buffer's array stays in it and the frame shares the array:
     * the body is not copied, and a frame held never keeps more than twice its body alive. Smaller bodies
     * are copied out, as are all bodies of a buffer that is not handed over.
     *
     * @param handOver whether the buffer's array is the caller's to give: nobody writes to it again
     */
    public List<Frame> parse(ByteBuffer buffer, boolean handOver) {
        if (failure != null) {
            throw failure;
        }
        List<Frame> frames = new ArrayList<>();
        if (pendingBody != null) {
            Frame completed = continueBody(buffer);
            if (completed == null) {
                return frames; // all of the buffer went into the body
            }
            frames.add(completed);
        }
        if (!buffer.hasRemaining()) {
            return frames;
        }
        // The scan runs over a byte[] with int indexes: far less code for the JIT to compile than a
        // ByteBuffer's checked reads, and it reaches compiled speed sooner in a young JVM. A direct buffer
        // (Netty's) is copied into the thread's scratch array first, one bulk copy; bodies and texts are
        // copied out of that copy, never shared.
        int position = buffer.position();
        int length = buffer.remaining();
        int offset;
        if (buffer.hasArray()) {
            bytes = buffer.array();
            offset = buffer.arrayOffset() + position;
            shareBodies = handOver;
        } else {
            bytes = scratch(length);
            buffer.get(position, bytes, 0, length);
            offset = 0;
            shareBodies = false;
        }
        limit = offset + length;
        try {
            buffer.position(position + readFrames(offset, frames) - offset);
        } finally {
            bytes = null; // never keeps the caller's array (or a large copy) past the call
        }
        return frames;
    }

    /** Direct buffers up to this size are copied into the thread's scratch array (one read is at most 64 KiB). */
    private static final int COPY_LIMIT = 256 * 1024;
    /** Per I/O thread: what {@link #parse} copies a direct buffer into; never holds anything past a call. */
    private static final ThreadLocal<byte[]> COPIES = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private static byte[] scratch(int length) {
        if (length > COPY_LIMIT) {
            return new byte[length]; // rare (a large incomplete head in Netty's cumulation): not kept
        }
        byte[] scratch = COPIES.get();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, Math.min(COPY_LIMIT, 2 * scratch.length))];
            COPIES.set(scratch);
        }
        return scratch;
    }

    /** Reads frames from {@code from} on; the index of the first byte not consumed. */
    private int readFrames(int from, List<Frame> frames) {
        int at = from;
        while (at < limit) {
            Frame frame;
            try {
                frame = next(at);
            } catch (StompProtocolException e) {
                failure = e;
                if (frames.isEmpty()) {
                    throw e;
                }
                break;
            }
            if (frame == null) {
                break;
            }
            pendingElement = -1;
            at = cursor;
            if (frame == BODY_PENDING) {
                break;
            }
            frames.add(frame);
        }
        return at;
    }

    /** The malformed frame found behind the good frames of the last {@link #parse}, if any. */
    public StompProtocolException failure() {
        return failure;
    }

    /** The frame starting at {@code start}, with {@link #cursor} past it; null when it is not complete yet. */
    private @Nullable Frame next(int start) {
        byte first = bytes[start];
        if (first == '\n' || first == '\r') {
            return heartbeat(start);
        }
        int commandEnd = lineEnd(start, start);
        if (commandEnd < 0) {
            return null;
        }
        String command = command(start, commandEnd);
        boolean unescape = Headers.escapes(command);
        HeaderMap headers = new HeaderMap();
        long contentLength = NO_LENGTH;
        int from = cursor;
        while (true) {
            int end = lineEnd(from, start);
            if (end < 0) {
                return null;
            }
            if (end == from) {
                break;
            }
            // Name and value straight from the bytes, the names and repeated values from the caches (the
            // receive hot path: most MESSAGE headers are the same from one frame to the next).
            int colon = indexOf(bytes, (byte) ':', from, end);
            if (colon <= from) {
                throw malformed("header line without a name and colon: '" + printable(cut(text(bytes, from, end))) + "'");
            }
            int known = HeaderNames.find(bytes, from, colon);
            String name = known >= 0 ? HeaderNames.NAMES[known] : text(bytes, from, colon);
            String value;
            if (known >= 0) {
                value = values.value(known, bytes, colon + 1, end, unescape);
            } else {
                value = text(bytes, colon + 1, end);
                if (unescape) {
                    name = unescape(name);
                    value = unescape(value);
                }
            }
            // The first of a repeated header wins.
            if (headers.addIfAbsent(name, value) && known == HeaderNames.CONTENT_LENGTH) {
                contentLength = contentLength(bytes, colon + 1, end, value);
            }
            from = cursor;
        }
        int bodyFrom = cursor;
        int end = bodyEnd(bodyFrom, start, contentLength);
        if (end == INCOMPLETE_WITH_LENGTH) {
            // Known length, already checked against the limit: take what has come and fill the rest later.
            byte[] body = new byte[incompleteLength];
            int arrived = limit - bodyFrom;
            System.arraycopy(bytes, bodyFrom, body, 0, arrived);
            cursor = limit;
            pendingBody = new PendingBody(command, headers, body, arrived);
            return BODY_PENDING;
        }
        if (end < 0) {
            return null;
        }
        cursor = end + 1;
        return withBody(command, headers, bodyFrom, end - bodyFrom);
    }

    /** An EOL between frames (LF, or CR LF). */
    private @Nullable Frame heartbeat(int start) {
        if (bytes[start] == '\n') {
            cursor = start + 1;
            return HEARTBEAT;
        }
        if (limit - start < 2) {
            return null;
        }
        if (bytes[start + 1] != '\n') {
            throw malformed("a CR not followed by LF between frames");
        }
        cursor = start + 2;
        return HEARTBEAT;
    }

    /** The command in {@code [from, to)}, one of the known ones or refused. */
    private String command(int from, int to) {
        String known = HeaderNames.command(bytes, from, to);
        if (known != null) {
            return known;
        }
        String command = text(bytes, from, to);
        if (!SERVER_COMMANDS.contains(command) && !CLIENT_COMMANDS.contains(command)) {
            String shown = command.length() > 40 ? command.substring(0, 40) + "..." : command;
            throw new StompProtocolException("the broker sent a frame with an unknown command '" + printable(shown)
                    + "'; is this a STOMP endpoint?", null);
        }
        return command;
    }

    /** Fills the pending body from the buffer; the frame once its body and the NUL after it are in. */
    private @Nullable Frame continueBody(ByteBuffer in) {
        PendingBody pending = pendingBody;
        int take = Math.min(pending.body.length - pending.filled, in.remaining());
        in.get(pending.body, pending.filled, take);
        pending.filled += take;
        if (pending.filled < pending.body.length || !in.hasRemaining()) {
            return null;
        }
        pendingBody = null;
        if (in.get() != 0) {
            failure = missingNul(pending.body.length);
            throw failure;
        }
        return new Frame(pending.command, pending.headers, pending.body);
    }

    private Frame withBody(String command, HeaderMap headers, int from, int length) {
        if (shareBodies && length > 0 && 2L * length >= bytes.length) {
            return new Frame(command, headers, bytes, from, length);
        }
        return new Frame(command, headers, Arrays.copyOfRange(bytes, from, from + length));
    }

    /**
     * Finds the end of the line starting at {@code from} (before its CR LF or LF) and sets {@link #cursor}
     * past the EOL; -1 when the line is not complete yet.
     */
    private int lineEnd(int from, int frameStart) {
        byte[] in = bytes;
        int end = limit;
        for (int i = resumeAt(from, frameStart); i < end; i++) {
            if (in[i] == '\n') {
                checkSize(i + 1 - frameStart);
                cursor = i + 1;
                return i > from && in[i - 1] == '\r' ? i - 1 : i;
            }
        }
        incomplete(from, end, frameStart);
        return -1;
    }

    private static int indexOf(byte[] in, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Where a scan for this element's end may start: past what an earlier call already scanned of it. */
    private int resumeAt(int from, int frameStart) {
        return from - frameStart == pendingElement ? Math.max(from, frameStart + pendingScanned) : from;
    }

    /** Remembers how far the unfinished element was scanned, and checks the frame is not already too big. */
    private void incomplete(int from, int end, int frameStart) {
        checkSize(end - frameStart);
        pendingElement = from - frameStart;
        pendingScanned = end - frameStart;
    }

    /**
     * Where the body's terminating NUL is, checked; {@link #INCOMPLETE_WITH_LENGTH} when the body has a
     * content-length and is not complete yet, {@link #INCOMPLETE} when it has none and its NUL has not come.
     */
    private int bodyEnd(int from, int frameStart, long contentLength) {
        if (contentLength != NO_LENGTH) {
            long length = contentLength;
            checkSize(from - frameStart + length + 1);
            if (limit - from < length + 1) {
                incompleteLength = (int) length;
                return INCOMPLETE_WITH_LENGTH;
            }
            int end = from + (int) length;
            if (bytes[end] != 0) {
                throw missingNul(length);
            }
            return end;
        }
        byte[] in = bytes;
        int end = limit;
        for (int i = resumeAt(from, frameStart); i < end; i++) {
            if (in[i] == 0) {
                checkSize(i + 1 - frameStart);
                return i;
            }
        }
        incomplete(from, end, frameStart);
        return INCOMPLETE;
    }

    /** No content-length header: the body ends at the first NUL. */
    private static final long NO_LENGTH = -1;

    /**
     * The content-length in {@code [from, to)}: plain digits are read straight from the bytes (every frame
     * has one, mostly the same); anything else (spaces, a sign, not a number) goes the way of the text.
     */
    private static long contentLength(byte[] in, int from, int to, String text) {
        if (from == to || to - from > 18) {
            return contentLength(text);
        }
        long length = 0;
        for (int i = from; i < to; i++) {
            int digit = in[i] - '0';
            if (digit < 0 || digit > 9) {
                return contentLength(text);
            }
            length = length * 10 + digit;
        }
        return length;
    }

    private static long contentLength(String text) {
        long length;
        try {
            length = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw malformed("content-length '" + printable(cut(text)) + "' is not a number");
        }
        if (length < 0) {
            throw malformed("content-length " + length + " is negative");
        }
        return length;
    }

    private void checkSize(long size) {
        if (size > maxFrameSize) {
            throw new StompProtocolException("an inbound frame is larger than the limit of " + maxFrameSize
                    + " bytes; raise StompClient.maxFrameSize(...) if the broker really sends frames that large", null);
        }
    }

    static String text(byte[] in, int from, int to) {
        return new String(in, from, to - from, StandardCharsets.UTF_8);
    }

    /** STOMP 1.2 header unescaping; any other escape is a protocol error. */
    static String unescape(String s) {
        int backslash = s.indexOf('\\');
        // The rare escaping apart: what the receive path compiles stays one intrinsic scan per value.
        return backslash < 0 ? s : unescape(s, backslash);
    }

    private static String unescape(String s, int backslash) {
        StringBuilder out = new StringBuilder(s.length()).append(s, 0, backslash);
        for (int i = backslash; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 == s.length()) {
                throw malformed("Illegal escape sequence: a header ends with a lone backslash");
            }
            char escaped = s.charAt(++i);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'c' -> out.append(':');
                case '\\' -> out.append('\\');
                default -> throw malformed("Illegal escape sequence \\" + printable(String.valueOf(escaped))
                        + " in a header (STOMP 1.2 allows \\n, \\r, \\c and \\\\)");
            }
        }
        return out.toString();
    }

    private static StompProtocolException missingNul(long contentLength) {
        return malformed("the frame must be terminated with a null octet after its content-length of "
                + contentLength + " bytes");
    }

    private static StompProtocolException malformed(String what) {
        return new StompProtocolException("the broker sent a malformed frame: " + what, null);
    }

    private static String cut(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
