package dev.jstomp;

import static dev.jstomp.Waiting.await;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * One client connection of a {@link FakeStompServer}, as its script sees it: the frames the client sent
 * (parsed from the byte stream, heart-beats counted), and raw writes back.
 */
public final class FakePeer {

    private static final ClientFrame EOF = new ClientFrame("<EOF>", List.of(), new byte[0], new byte[0]);

    private final Output output;
    private final ScheduledExecutorService beats;
    private final Runnable closer;
    private final BlockingQueue<ClientFrame> frames = new LinkedBlockingQueue<>();
    private final List<ClientFrame> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private volatile @Nullable ScheduledFuture<?> beating;
    private volatile boolean serverClosed;

    FakePeer(Output output, Runnable closer, ScheduledExecutorService beats) {
        this.output = output;
        this.closer = closer;
        this.beats = beats;
    }

    /** Writes text (over WebSocket: one text message). Failures (client gone) are ignored. */
    public FakePeer send(String text) {
        write(text.getBytes(StandardCharsets.UTF_8), true);
        return this;
    }

    /** Writes bytes (over WebSocket: one binary message). Failures (client gone) are ignored. */
    public FakePeer sendBytes(byte[] data) {
        write(data, false);
        return this;
    }

    /**
     * Writes one message cut at the given offsets: over WebSocket one fragmented message (a first frame and
     * continuation frames, text or binary), over TCP one write per part. Failures (client gone) are ignored.
     */
    public FakePeer sendFragmented(byte[] data, boolean text, int... cuts) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            parts.add(Arrays.copyOfRange(data, from, cut));
            from = cut;
        }
        parts.add(Arrays.copyOfRange(data, from, data.length));
        try {
            output.writeFragments(parts, text);
        } catch (IOException e) {
            // The client closed, as above.
        }
        return this;
    }

    private void write(byte[] data, boolean text) {
        try {
            output.write(data, text);
        } catch (IOException e) {
            // The client closed; scripts that keep writing past that are not wrong.
        }
    }

    /** Waits for CONNECT and answers CONNECTED with this version and heart-beat header. */
    public ClientFrame acceptConnect(String version, String heartBeat) throws InterruptedException {
        ClientFrame connect = next("CONNECT");
        send(FakeStompServer.connectedFrame(version, heartBeat));
        return connect;
    }

    /** Sends {@code "\n"} every period until the connection closes. */
    public void beatEvery(Duration period) {
        beating = beats.scheduleAtFixedRate(() -> send("\n"), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Answers every {@code receipt} with a RECEIPT and closes after DISCONNECT; returns when closed. */
    public void serveReceipts() throws InterruptedException {
        while (true) {
            ClientFrame frame = frames.take();
            if (frame == EOF) {
                frames.add(EOF);
                return;
            }
            String receipt = frame.header("receipt");
            if (receipt != null) {
                send("RECEIPT\nreceipt-id:" + receipt + "\n\n\0");
            }
            if (frame.command().equals("DISCONNECT")) {
                close();
                return;
            }
        }
    }

    /**
     * The next frame from the client; fails the script when none comes or the connection closed. Consumes
     * frames: only one thread (the script, or the test once the script is done reading) may use it.
     */
    public ClientFrame next() throws InterruptedException {
        ClientFrame frame = poll(FakeStompServer.WAIT);
        if (frame == null) {
            throw new AssertionError("no frame from the client within " + FakeStompServer.WAIT
                    + " (closed: " + isClosed() + "); received: " + received);
        }
        return frame;
    }

    /** The next frame with this command, skipping others. */
    public ClientFrame next(String command) throws InterruptedException {
        while (true) {
            ClientFrame frame = next();
            if (frame.command().equals(command)) {
                return frame;
            }
        }
    }

    /** The next frame, or null after the timeout or when the connection has closed. */
    public @Nullable ClientFrame poll(Duration timeout) throws InterruptedException {
        ClientFrame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == EOF) {
            frames.add(EOF);
            return null;
        }
        return frame;
    }

    /**
     * The first frame received with this command, waiting for it; unlike {@link #next(String)} it does
     * not consume, so it works while the script is serving.
     */
    public ClientFrame awaitReceived(String command) {
        return await().atMost(FakeStompServer.WAIT)
                .until(() -> received.stream().filter(f -> f.command().equals(command)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    /** Every frame received so far, in order. */
    public List<ClientFrame> received() {
        return List.copyOf(received);
    }

    /** Heart-beats (EOLs between frames) received. */
    public int heartbeats() {
        return heartbeats.get();
    }

    void countWebSocketMessage() {
        messages.incrementAndGet();
    }

    /** WebSocket messages received (0 over TCP). */
    public int webSocketMessages() {
        return messages.get();
    }

    public long bytesReceived() {
        return bytes.get();
    }

    public boolean isClosed() {
        return closedFuture.isDone();
    }

    /** Completes when the client closed the connection (or the server did). */
    public CompletableFuture<Void> closedFuture() {
        return closedFuture;
    }

    /** The server is shutting down: its event loop may be gone, so closing is left to it. */
    void serverClosing() {
        serverClosed = true;
    }

    /** Closes the connection from the server side. */
    public void close() {
        ScheduledFuture<?> beat = beating;
        if (beat != null) {
            beat.cancel(false);
        }
        closer.run();
    }

    void readLoop(InputStream in) {
        try {
            while (true) {
                ClientFrame frame = readFrame(in);
                if (frame == null) {
                    break;
                }
                received.add(frame);
                frames.add(frame);
            }
        } catch (IOException e) {
            // connection reset: the same as EOF for a script
        } finally {
            frames.add(EOF);
            ScheduledFuture<?> beat = beating;
            if (beat != null) {
                beat.cancel(false);
            }
            closedFuture.complete(null);
            if (!serverClosed) {
                closer.run();
            }
        }
    }

    private int read(InputStream in) throws IOException {
        int b = in.read();
        if (b >= 0) {
            bytes.incrementAndGet();
        }
        return b;
    }

    private @Nullable ClientFrame readFrame(InputStream in) throws IOException {
        int first;
        do {
            first = read(in);
            if (first < 0) {
                return null;
            }
            if (first == '\n') {
                heartbeats.incrementAndGet();
            }
        } while (first == '\n' || first == '\r');
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(first);
        String command = (char) first + readLine(in, raw);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(in, raw); !line.isEmpty(); line = readLine(in, raw)) {
            int colon = line.indexOf(':');
            headers.add(Map.entry(colon < 0 ? line : line.substring(0, colon),
                    colon < 0 ? "" : line.substring(colon + 1)));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.stream().filter(h -> h.getKey().equals("content-length"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (length != null) {
            for (int i = Integer.parseInt(length); i > 0; i--) {
                body.write(requireByte(in));
            }
            if (requireByte(in) != 0) {
                throw new IOException("client frame " + command + " not terminated by NUL after content-length");
            }
        } else {
            for (int b = requireByte(in); b != 0; b = requireByte(in)) {
                body.write(b);
            }
        }
        byte[] bodyBytes = body.toByteArray();
        raw.write(bodyBytes);
        return new ClientFrame(command, List.copyOf(headers), bodyBytes, raw.toByteArray());
    }

    private int requireByte(InputStream in) throws IOException {
        int b = read(in);
        if (b < 0) {
            throw new EOFException("connection closed inside a frame");
        }
        return b;
    }

    private String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = requireByte(in); b != '\n'; b = requireByte(in)) {
            line.write(b);
        }
        raw.write(line.toByteArray());
        raw.write('\n');
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Writes one chunk: a TCP write, or one WebSocket message (text or binary). */
    @FunctionalInterface
    interface Output {
        void write(byte[] bytes, boolean text) throws IOException;

        /** One message in parts; a stream has no messages, so by default each part is a write of its own. */
        default void writeFragments(List<byte[]> parts, boolean text) throws IOException {
            for (byte[] part : parts) {
                write(part, text);
            }
        }
    }
}
