package dev.jstomp.internal.frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        shareBodies = handOver && buffer.hasArray();
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
        if (buffer.hasArray() || !buffer.hasRemaining() || buffer.remaining() > COPY_LIMIT) {
            readFrames(buffer, frames);
            return frames;
        }
        // A direct buffer (Netty's): one bulk copy into the thread's heap array, then scanning it, costs far
        // less than reading the buffer a byte at a time. The copy never leaves this call: bodies and texts
        // are copied out of it, never shared (shareBodies is off). One way for every frame size, so that the
        // JIT compiles one path (a switch of path when bodies grow large cost more than the copy saves).
        int base = buffer.position();
        int length = buffer.remaining();
        byte[] scratch = COPIES.get();
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, Math.min(COPY_LIMIT, 2 * scratch.length))];
            COPIES.set(scratch);
        }
        buffer.get(base, scratch, 0, length);
        ByteBuffer copy = ByteBuffer.wrap(scratch, 0, length);
        shareBodies = false;
        try {
            readFrames(copy, frames);
        } finally {
            buffer.position(base + copy.position());
        }
        return frames;
    }

    /** Direct buffers up to this size are copied to the heap for parsing (one read is at most 64 KiB). */
    private static final int COPY_LIMIT = 256 * 1024;
    /** Per I/O thread: what {@link #parse} copies a direct buffer into; never holds anything past a call. */
    private static final ThreadLocal<byte[]> COPIES = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private void readFrames(ByteBuffer buffer, List<Frame> frames) {
        while (buffer.hasRemaining()) {
            int start = buffer.position();
            try {
                Frame frame = next(buffer);
                if (frame == null) {
                    buffer.position(start);
                    break;
                }
                pendingElement = -1;
                if (frame == BODY_PENDING) {
                    break;
                }
                frames.add(frame);
            } catch (StompProtocolException e) {
                buffer.position(start);
                if (frames.isEmpty()) {
                    failure = e;
                    throw e;
                }
                failure = e;
                break;
            }
        }
    }

    /** The malformed frame found behind the good frames of the last {@link #parse}, if any. */
    public StompProtocolException failure() {
        return failure;
    }

    private Frame next(ByteBuffer in) {
        int start = in.position();
        byte first = in.get(start);
        if (first == '\n') {
            in.position(start + 1);
            return HEARTBEAT;
        }
        if (first == '\r') {
            if (in.remaining() < 2) {
                return null;
            }
            if (in.get(start + 1) != '\n') {
                throw malformed("a CR not followed by LF between frames");
            }
            in.position(start + 2);
            return HEARTBEAT;
        }
        int commandFrom = in.position();
        int commandEnd = lineEnd(in, start);
        if (commandEnd < 0) {
            return null;
        }
        String knownCommand = HeaderNames.command(in, commandFrom, commandEnd);
        String command = knownCommand != null ? knownCommand : text(in, commandFrom, commandEnd);
        if (!SERVER_COMMANDS.contains(command) && !CLIENT_COMMANDS.contains(command)) {
            String shown = command.length() > 40 ? command.substring(0, 40) + "..." : command;
            throw new StompProtocolException("the broker sent a frame with an unknown command '" + printable(shown)
                    + "'; is this a STOMP endpoint?", null);
        }
        boolean unescape = !"CONNECTED".equals(command) && !"CONNECT".equals(command) && !"STOMP".equals(command);
        HeaderMap headers = new HeaderMap();
        String contentLength = null;
        while (true) {
            int from = in.position();
            int end = lineEnd(in, start);
            if (end < 0) {
                return null;
            }
            if (end == from) {
                break;
            }
            // Name and value straight from the bytes, the names and repeated values from the caches (the
            // receive hot path: most MESSAGE headers are the same from one frame to the next).
            int colon = indexOf(in, (byte) ':', from, end);
            if (colon <= from) {
                throw malformed("header line without a name and colon: '" + printable(cut(text(in, from, end))) + "'");
            }
            int known = HeaderNames.find(in, from, colon);
            String name = known >= 0 ? HeaderNames.NAMES[known] : text(in, from, colon);
            String value = known >= 0 ? values.value(known, in, colon + 1, end) : text(in, colon + 1, end);
            if (unescape) {
                if (known < 0) {
                    name = unescape(name);
                }
                value = unescape(value);
            }
            // The first of a repeated header wins.
            if (headers.addIfAbsent(name, value) && known == HeaderNames.CONTENT_LENGTH) {
                contentLength = value;
            }
        }
        int from = in.position();
        int end = bodyEnd(in, start, contentLength);
        if (end == INCOMPLETE_WITH_LENGTH) {
            // Known length, already checked against the limit: take what has come and fill the rest later.
            byte[] body = new byte[incompleteLength];
            int arrived = in.limit() - from;
            in.get(from, body, 0, arrived);
            in.position(in.limit());
            pendingBody = new PendingBody(command, headers, body, arrived);
            return BODY_PENDING;
        }
        if (end < 0) {
            return null;
        }
        in.position(end + 1);
        return withBody(command, headers, in, from, end - from);
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

    private Frame withBody(String command, HeaderMap headers, ByteBuffer in, int from, int length) {
        if (shareBodies && length > 0 && 2L * length >= in.array().length) {
            return new Frame(command, headers, in.array(), in.arrayOffset() + from, length);
        }
        byte[] body = new byte[length];
        in.get(from, body);
        return new Frame(command, headers, body);
    }

    /**
     * Finds the end of the line starting at the buffer's position (before its CR LF or LF) and moves the
     * position past the EOL; -1 when the line is not complete yet.
     */
    private int lineEnd(ByteBuffer in, int frameStart) {
        int from = in.position();
        int limit = in.limit();
        for (int i = resumeAt(from, frameStart); i < limit; i++) {
            if (in.get(i) == '\n') {
                checkSize(i + 1 - frameStart);
                in.position(i + 1);
                return i > from && in.get(i - 1) == '\r' ? i - 1 : i;
            }
        }
        incomplete(from, limit, frameStart);
        return -1;
    }

    private static int indexOf(ByteBuffer in, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in.get(i) == wanted) {
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
    private void incomplete(int from, int limit, int frameStart) {
        checkSize(limit - frameStart);
        pendingElement = from - frameStart;
        pendingScanned = limit - frameStart;
    }

    /**
     * Where the body's terminating NUL is, checked; {@link #INCOMPLETE_WITH_LENGTH} when the body has a
     * content-length and is not complete yet, {@link #INCOMPLETE} when it has none and its NUL has not come.
     */
    private int bodyEnd(ByteBuffer in, int frameStart, String contentLength) {
        int from = in.position();
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                throw malformed("content-length '" + printable(cut(contentLength)) + "' is not a number");
            }
            if (length < 0) {
                throw malformed("content-length " + length + " is negative");
            }
            checkSize(from - frameStart + length + 1);
            if (in.limit() - from < length + 1) {
                incompleteLength = (int) length;
                return INCOMPLETE_WITH_LENGTH;
            }
            int end = from + (int) length;
            if (in.get(end) != 0) {
                throw missingNul(length);
            }
            return end;
        }
        int limit = in.limit();
        for (int i = resumeAt(from, frameStart); i < limit; i++) {
            if (in.get(i) == 0) {
                checkSize(i + 1 - frameStart);
                return i;
            }
        }
        incomplete(from, limit, frameStart);
        return INCOMPLETE;
    }

    private void checkSize(long size) {
        if (size > maxFrameSize) {
            throw new StompProtocolException("an inbound frame is larger than the limit of " + maxFrameSize
                    + " bytes; raise StompClient.maxFrameSize(...) if the broker really sends frames that large", null);
        }
    }

    static String text(ByteBuffer in, int from, int to) {
        int length = to - from;
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset() + from, length, StandardCharsets.UTF_8);
        }
        // A direct buffer (Netty's): through a scratch array of the thread's, not a new array per String.
        byte[] bytes = length <= SCRATCH_SIZE ? SCRATCH.get() : new byte[length];
        in.get(from, bytes, 0, length);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static final int SCRATCH_SIZE = 256;
    /** Per thread: a parser is fed by one reader at a time, and a text is made from it before the next. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_SIZE]);

    /** STOMP 1.2 header unescaping; any other escape is a protocol error. */
    static String unescape(String s) {
        int backslash = s.indexOf('\\');
        if (backslash < 0) {
            return s;
        }
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
