package dev.jstomp.bench.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The least a STOMP reader can do: skip heart-beat EOLs, read the command's first letter, find
 * {@code content-length} among the header lines, skip the body (by length, or to the NUL), and say which
 * frame it was. No header map, no body copy: the floor a real client is measured against.
 */
public final class RawFrameReader {

    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;

    public RawFrameReader(InputStream in) {
        this.in = in;
    }

    private char second;

    /** The second letter of the last frame's command (to tell SEND from SUBSCRIBE). */
    public char secondLetter() {
        return second;
    }

    /** Reads one frame; returns the first letter of its command ('M' for MESSAGE, 'C', 'R', 'E'). */
    public char next() throws IOException {
        int b;
        do {
            b = read();
        } while (b == '\n' || b == '\r');
        char command = (char) b;
        second = (char) read();
        if (second != '\n') {
            while (read() != '\n') {
                // rest of the command line
            }
        }
        long length = -1;
        while (true) {
            int first = read();
            if (first == '\n') {
                break;
            }
            if (first == '\r') {
                read();
                break;
            }
            int matched = first == CONTENT_LENGTH[0] ? 1 : -1;
            long value = 0;
            boolean digits = false;
            int c;
            while ((c = read()) != '\n') {
                if (matched > 0 && matched < CONTENT_LENGTH.length) {
                    matched = c == CONTENT_LENGTH[matched] ? matched + 1 : -1;
                } else if (matched == CONTENT_LENGTH.length && c >= '0' && c <= '9') {
                    value = value * 10 + (c - '0');
                    digits = true;
                }
            }
            if (digits && length < 0) {
                length = value;
            }
        }
        if (length >= 0) {
            skip(length);
            if (read() != 0) {
                throw new IOException("frame not terminated by NUL after content-length bytes");
            }
        } else {
            while (read() != 0) {
                // body up to the NUL
            }
        }
        return command;
    }

    private int read() throws IOException {
        if (pos == lim) {
            fill();
        }
        return buf[pos++] & 0xff;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == lim) {
                fill();
            }
            int step = (int) Math.min(n, lim - pos);
            pos += step;
            n -= step;
        }
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed");
        }
        pos = 0;
        lim = n;
    }
}
