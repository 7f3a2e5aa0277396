package dev.jstomp.internal.frame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a frame as STOMP 1.2 bytes: command, headers (escaped except in CONNECT/CONNECTED), a
 * {@code content-length} for frames that may carry a body, blank line, body, NUL.
 *
 * <p>The same bytes Spring's {@code StompEncoder} writes (a test holds the two side by side), without its
 * per-byte boxing and header-accessor round trip, which dominated jstomp's send path.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /** The frame's bytes, ready for the wire. */
    public static byte[] encode(Frame frame) {
        int length = frame.bodyLength();
        Output out = new Output(64 + frame.command().length() + 32 * frame.headers().size());
        head(frame, out);
        // Exactly sized: the body is copied once, straight into place.
        byte[] encoded = new byte[out.size + length + 1];
        System.arraycopy(out.bytes, 0, encoded, 0, out.size);
        System.arraycopy(frame.bodyArray(), frame.bodyOffset(), encoded, out.size, length);
        return encoded;
    }

    /**
     * Appends the frame's bytes to a buffer (a pooled direct one on TCP, a batch of frames on WebSocket):
     * the body is copied once, into the buffer, and there is no intermediate array.
     */
    public static void encode(Frame frame, ByteBuf target) {
        int length = frame.bodyLength();
        Output out = HEADS.get();
        out.size = 0;
        head(frame, out);
        target.ensureWritable(out.size + length + 1);
        target.writeBytes(out.bytes, 0, out.size);
        target.writeBytes(frame.bodyArray(), frame.bodyOffset(), length);
        target.writeByte(0);
        if (out.bytes.length > 64 * 1024) {
            HEADS.remove(); // one frame with huge headers must not pin a huge array to the thread
        }
    }

    /**
     * Writes the frame into buffers from {@code allocator} of at most {@code pieceSize} bytes each (the
     * first holds the head, and may be larger when the head alone is), handing each to {@code pieces} in
     * order, which owns it from then on. A large body goes out without a buffer of its whole size: an
     * allocator that pools buffers up to some size (Netty 4.2's: 1 MiB) gives one past it fresh and zeroed.
     */
    public static void encode(Frame frame, ByteBufAllocator allocator, int pieceSize, Consumer<ByteBuf> pieces) {
        Output out = HEADS.get();
        out.size = 0;
        head(frame, out); // what can fail fails here, before a buffer is taken
        byte[] body = frame.bodyArray();
        int at = frame.bodyOffset();
        int bodyLeft = frame.bodyLength();
        int size = Math.max(out.size, Math.min(pieceSize, out.size + bodyLeft + 1));
        ByteBuf piece = allocator.ioBuffer(size);
        piece.writeBytes(out.bytes, 0, out.size);
        if (out.bytes.length > 64 * 1024) {
            HEADS.remove();
        }
        while (true) {
            int take = Math.min(bodyLeft, size - piece.writerIndex());
            piece.writeBytes(body, at, take);
            at += take;
            bodyLeft -= take;
            if (bodyLeft == 0 && piece.writerIndex() < size) {
                piece.writeByte(0);
                pieces.accept(piece);
                return;
            }
            pieces.accept(piece);
            size = Math.min(pieceSize, bodyLeft + 1);
            piece = allocator.ioBuffer(size);
        }
    }

    /**
     * Appends the frame's bytes to a batch of encoded frames held in a plain array. Pure Java on a
     * {@code byte[]}: the hot send path compiles small, with no buffer types whose classes vary at run time
     * (Netty's leak detector wraps one pooled buffer in 128, and each new class costs a recompilation).
     */
    public static void encode(Frame frame, Batch batch) {
        Output out = batch.out;
        head(frame, out);
        int length = frame.bodyLength();
        out.ensure(length + 1);
        System.arraycopy(frame.bodyArray(), frame.bodyOffset(), out.bytes, out.size, length);
        out.size += length;
        out.bytes[out.size++] = 0;
    }

    /** Encoded frames waiting to be written, in an array that grows as needed. */
    public static final class Batch {
        private static final int INITIAL_CAPACITY = 16 * 1024;

        private final Output out = new Output(INITIAL_CAPACITY);

        /** The encoded bytes, {@code [0, size())} of it. */
        public byte[] array() {
            return out.bytes;
        }

        /** How many bytes are encoded. */
        public int size() {
            return out.size;
        }

        /** Drops what was encoded past {@code size} (a frame that failed half-way). */
        public void truncate(int size) {
            out.size = size;
        }

        /** Empties the batch, and drops its array if one large frame head made it larger than {@code keep}. */
        public void clear(int keep) {
            out.size = 0;
            if (out.bytes.length > keep) {
                out.bytes = new byte[INITIAL_CAPACITY];
            }
        }
    }

    /** A thread's scratch array for frame heads (writer threads encode one frame at a time). */
    private static final ThreadLocal<Output> HEADS = ThreadLocal.withInitial(() -> new Output(512));

    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    /** Command, headers, the computed content-length and the blank line. */
    private static void head(Frame frame, Output out) {
        String command = frame.command();
        boolean escape = Headers.escapes(command);
        boolean bodyCommand = switch (command) {
            case "SEND", "MESSAGE", "ERROR" -> true;
            default -> false;
        };
        out.ascii(command).put((byte) '\n');
        for (Map.Entry<String, String> header : frame.headers().entrySet()) {
            if (bodyCommand && "content-length".equals(header.getKey())) {
                continue; // ours, computed from the body, is the one that counts
            }
            out.text(header.getKey(), escape).put((byte) ':').text(header.getValue(), escape).put((byte) '\n');
        }
        if (bodyCommand) {
            out.put(CONTENT_LENGTH).digits(frame.bodyLength()).put((byte) '\n');
        }
        out.put((byte) '\n');
    }

    /** A growable byte buffer that writes ASCII without a charset round trip. */
    private static final class Output {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        Output put(byte b) {
            ensure(1);
            bytes[size++] = b;
            return this;
        }

        Output put(byte[] more) {
            ensure(more.length);
            System.arraycopy(more, 0, bytes, size, more.length);
            size += more.length;
            return this;
        }

        /** A non-negative number in decimal, without making a String of it. */
        Output digits(int n) {
            int length = 1;
            for (int rest = n / 10; rest > 0; rest /= 10) {
                length++;
            }
            ensure(length);
            int end = size + length;
            for (int i = end - 1, rest = n; i >= size; i--, rest /= 10) {
                bytes[i] = (byte) ('0' + rest % 10);
            }
            size = end;
            return this;
        }

        Output ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                bytes[size++] = (byte) s.charAt(i);
            }
            return this;
        }

        /**
         * A header name or value, escaped as STOMP 1.2 writes it when {@code escape}: one pass over the chars
         * while they are ASCII (no escaped copy, no second scan), the general way from the first other one.
         */
        Output text(String s, boolean escape) {
            int length = s.length();
            ensure(2 * length); // the most an escaped ASCII text takes
            for (int i = 0; i < length; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    String rest = s.substring(i);
                    return put((escape ? Headers.escape(rest) : rest).getBytes(StandardCharsets.UTF_8));
                }
                if (escape) {
                    byte escaped = switch (c) {
                        case '\\' -> '\\';
                        case ':' -> 'c';
                        case '\n' -> 'n';
                        case '\r' -> 'r';
                        default -> 0;
                    };
                    if (escaped != 0) {
                        bytes[size++] = '\\';
                        bytes[size++] = escaped;
                        continue;
                    }
                }
                bytes[size++] = (byte) c;
            }
            return this;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
