package dev.jstomp.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy to a broker port that injects network faults, for STOMP over raw TCP and over
 * WebSocket alike: it forwards bytes untouched, but reads them as STOMP (seeing through WebSocket framing
 * and client masking) so that it can cut a connection at a protocol step.
 *
 * <ul>
 *   <li>{@link #stopForwarding()}: a black hole. Every open connection stays open but nothing more
 *       passes either way (read and dropped), as when a network path dies without a FIN or RST; new
 *       connections are accepted and black-holed too until {@link #resumeForwarding()}, which only
 *       affects connections made after it (a black-holed stream has lost bytes and cannot be trusted).</li>
 *   <li>{@link #stall(Direction)} / {@link #unstall(Direction)}: holds bytes (stops reading) and lets
 *       them through later, unchanged: a slow path, not a dead one.</li>
 *   <li>{@link #cutAll()}: closes every connection, both sides; {@link #refuse(boolean)}: new
 *       connections are closed as soon as they are accepted.</li>
 *   <li>One-shot cut rules, armed for the next connection that meets them, then disarmed:
 *       {@link #cutAfterBytes(Direction, long)}, {@link #cutWhenClientSends(String)},
 *       {@link #cutWhenBrokerSends(String)}, {@link #cutInsideFrame(Direction, int)} and the
 *       {@link ExitAt} shortcuts.</li>
 * </ul>
 */
final class FaultInjectingProxy implements AutoCloseable {

    /** Which way bytes flow. */
    enum Direction {
        /** Client to broker. */
        UPSTREAM,
        /** Broker to client. */
        DOWNSTREAM
    }

    /** Protocol steps at which to drop the connection (after nats.java's fake server). */
    enum ExitAt {
        /** The client sent CONNECT and the broker answered, but the client never sees CONNECTED. */
        BEFORE_CONNECTED,
        /** The broker gets the client's SUBSCRIBE frame, then the connection goes. */
        AFTER_SUBSCRIBE,
        /** The connection goes 256 KiB into a frame from the broker (a large MESSAGE). */
        MID_LARGE_FRAME
    }

    private static final int MID_FRAME_CUT = 256 * 1024;

    private final int targetPort;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicReference<CutRule> rule = new AtomicReference<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final Object stallLock = new Object();
    private volatile boolean blackHoleNew;
    private volatile boolean refusing;
    private final boolean[] stalled = new boolean[2];
    private volatile boolean closed;

    FaultInjectingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("fault-proxy-accept-" + port(), this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:PORT} or {@code ws://127.0.0.1:PORT/stomp} through the proxy. */
    String url(boolean webSocket) {
        return webSocket ? "ws://127.0.0.1:" + port() + "/stomp" : "tcp://127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    /** Connections open now. */
    int openConnections() {
        return (int) links.stream().filter(link -> !link.closed).count();
    }

    /** WebSocket data messages (text or binary) seen in this direction, over the connections still listed. */
    long webSocketMessages(Direction direction) {
        return links.stream().mapToLong(link -> link.views[direction.ordinal()].dataMessages).sum();
    }

    /** Connections closed by a rule or {@link #cutAll()}. */
    int cuts() {
        return cuts.get();
    }

    /** Black-holes every open connection and the new ones, keeping the sockets open. */
    void stopForwarding() {
        blackHoleNew = true;
        links.forEach(link -> link.blackHoled = true);
    }

    /** Connections accepted from now on are forwarded again (black-holed ones stay black-holed). */
    void resumeForwarding() {
        blackHoleNew = false;
    }

    /** Stops reading in this direction: bytes wait (in socket buffers) until {@link #unstall}. */
    void stall(Direction direction) {
        synchronized (stallLock) {
            stalled[direction.ordinal()] = true;
        }
    }

    void unstall(Direction direction) {
        synchronized (stallLock) {
            stalled[direction.ordinal()] = false;
            stallLock.notifyAll();
        }
    }

    /** Closes every connection, both sides, as a network failure would. */
    void cutAll() {
        for (Link link : links) {
            if (!link.closed) {
                cuts.incrementAndGet();
            }
            link.close();
        }
    }

    /** Whether new connections are closed as soon as they are accepted. */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Forwards exactly {@code n} more bytes in this direction (over all connections), then cuts. */
    void cutAfterBytes(Direction direction, long n) {
        arm(new CutRule(direction, Kind.BYTES, null, n));
    }

    /** Cuts right after the client's frame containing this text has been forwarded to the broker. */
    void cutWhenClientSends(String pattern) {
        arm(new CutRule(Direction.UPSTREAM, Kind.PATTERN_AFTER_FRAME, bytes(pattern), 0));
    }

    /** Cuts as soon as this text starts coming from the broker; the client never receives it whole. */
    void cutWhenBrokerSends(String pattern) {
        arm(new CutRule(Direction.DOWNSTREAM, Kind.PATTERN_BEFORE, bytes(pattern), 0));
    }

    /** Cuts once a single STOMP frame in this direction has passed {@code bytesIntoFrame} bytes. */
    void cutInsideFrame(Direction direction, int bytesIntoFrame) {
        arm(new CutRule(direction, Kind.INSIDE_FRAME, null, bytesIntoFrame));
    }

    void exitAt(ExitAt step) {
        switch (step) {
            case BEFORE_CONNECTED -> cutWhenBrokerSends("CONNECTED\n");
            case AFTER_SUBSCRIBE -> cutWhenClientSends("SUBSCRIBE\n");
            case MID_LARGE_FRAME -> cutInsideFrame(Direction.DOWNSTREAM, MID_FRAME_CUT);
        }
    }

    /** Whether the armed rule (if any) has not fired yet. */
    boolean armed() {
        return rule.get() != null;
    }

    void disarm() {
        rule.set(null);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link link : links) {
            link.close();
        }
        unstall(Direction.UPSTREAM);
        unstall(Direction.DOWNSTREAM);
    }

    private void arm(CutRule next) {
        rule.set(next);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            Socket broker;
            try {
                broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client); // broker down: the client sees its connection fail
                continue;
            }
            Link link = new Link(client, broker, blackHoleNew);
            links.removeIf(old -> old.closed);
            links.add(link);
            daemon("fault-proxy-up-" + port(), () -> link.pump(Direction.UPSTREAM));
            daemon("fault-proxy-down-" + port(), () -> link.pump(Direction.DOWNSTREAM));
        }
    }

    private void awaitUnstalled(Direction direction) throws InterruptedException {
        synchronized (stallLock) {
            while (stalled[direction.ordinal()] && !closed) {
                stallLock.wait();
            }
        }
    }

    private enum Kind { BYTES, PATTERN_AFTER_FRAME, PATTERN_BEFORE, INSIDE_FRAME }

    /** A one-shot cut; {@code count} is shared by every connection for {@link Kind#BYTES}. */
    private static final class CutRule {
        final Direction direction;
        final Kind kind;
        final byte[] pattern;
        final long limit;
        final AtomicLong count = new AtomicLong();

        CutRule(Direction direction, Kind kind, byte[] pattern, long limit) {
            this.direction = direction;
            this.kind = kind;
            this.pattern = pattern;
            this.limit = limit;
        }
    }

    /** One proxied connection: two sockets, two pumps. */
    private final class Link {
        final Socket client;
        final Socket broker;
        volatile boolean blackHoled;
        volatile boolean closed;
        final StompView[] views = {new StompView(), new StompView()};
        /** Per direction, touched only by that direction's pump: cut after the bytes being forwarded. */
        final boolean[] cutRequested = new boolean[2];

        Link(Socket client, Socket broker, boolean blackHoled) {
            this.client = client;
            this.broker = broker;
            this.blackHoled = blackHoled;
        }

        void pump(Direction direction) {
            Socket from = direction == Direction.UPSTREAM ? client : broker;
            Socket to = direction == Direction.UPSTREAM ? broker : client;
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    awaitUnstalled(direction);
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    awaitUnstalled(direction); // a chunk read as the stall began waits too
                    if (blackHoled) {
                        continue;
                    }
                    int forward = decide(direction, buffer, n);
                    if (forward > 0) {
                        out.write(buffer, 0, forward);
                        out.flush();
                    }
                    if (cutRequested[direction.ordinal()]) {
                        cuts.incrementAndGet();
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // cut, or the other side went away
            } finally {
                close();
            }
        }

        /** How many bytes of the chunk to forward; sets cutRequested when the connection goes after them. */
        private int decide(Direction direction, byte[] chunk, int n) {
            StompView view = views[direction.ordinal()];
            CutRule armed = rule.get();
            if (armed == null || armed.direction != direction) {
                view.scan(chunk, n, null);
                return n;
            }
            int at;
            if (armed.kind == Kind.BYTES) {
                long before = armed.count.getAndAdd(n);
                at = before + n >= armed.limit ? (int) Math.max(0, Math.min(n, armed.limit - before)) : -1;
                view.scan(chunk, n, null);
            } else {
                at = view.scan(chunk, n, armed);
            }
            if (at < 0 || !rule.compareAndSet(armed, null)) {
                return n;
            }
            cutRequested[direction.ordinal()] = true;
            return at;
        }

        void close() {
            closed = true;
            closeQuietly(client);
            closeQuietly(broker);
        }
    }

    /**
     * Reads a byte stream as STOMP: plain over raw TCP; over WebSocket, past the HTTP upgrade and through
     * the frame headers and client masking to the payload of data frames. Tracks where STOMP frames start
     * and end (a NUL ends one; bodies with NULs inside are not expected here).
     */
    private static final class StompView {
        private enum Mode { UNKNOWN, RAW, HTTP, WS_HEADER, WS_LENGTH, WS_MASK, WS_PAYLOAD }

        private static final byte[] HTTP_END = {'\r', '\n', '\r', '\n'};

        private Mode mode = Mode.UNKNOWN;
        private final byte[] sniff = new byte[4];
        private int sniffed;
        private int httpTail;
        private boolean secondHeaderByte;
        private boolean control;
        private int lengthBytes;
        private long payloadLeft;
        private boolean masked;
        private final byte[] mask = new byte[4];
        private int maskRead;
        private long payloadIndex;
        private boolean inFrame;
        private long frameBytes;
        private int matched;
        private boolean awaitingFrameEnd;
        /** Written by this direction's pump only. */
        volatile long dataMessages;

        /**
         * Scans a chunk; with a rule, returns how many bytes of the chunk go through before the cut, or -1
         * when the rule did not fire in this chunk.
         */
        int scan(byte[] chunk, int n, CutRule armed) {
            for (int i = 0; i < n; i++) {
                if (mode == Mode.UNKNOWN) {
                    sniff[sniffed++] = chunk[i];
                    if (sniffed < sniff.length) {
                        continue;
                    }
                    String start = new String(sniff, StandardCharsets.US_ASCII);
                    if (start.equals("GET ") || start.equals("HTTP")) {
                        mode = Mode.HTTP;
                        continue;
                    }
                    mode = Mode.RAW;
                    for (int k = 0; k < sniff.length; k++) {
                        int fired = observe(sniff[k], armed);
                        if (fired >= 0) {
                            return Math.max(0, i - (sniff.length - 1) + k + fired);
                        }
                    }
                    continue;
                }
                int plain = next(chunk[i]);
                if (plain < 0) {
                    continue;
                }
                int fired = observe((byte) plain, armed);
                if (fired >= 0) {
                    return i + fired;
                }
            }
            return -1;
        }

        /** -1: nothing; 0: cut before this byte; 1: cut after it. */
        private int observe(byte b, CutRule armed) {
            int result = -1;
            if (!inFrame) {
                if (b == '\n' || b == '\r') {
                    return -1; // a heart-beat, or EOLs after a frame
                }
                inFrame = true;
                frameBytes = 0;
            }
            frameBytes++;
            if (armed != null && armed.kind == Kind.INSIDE_FRAME && frameBytes >= armed.limit) {
                result = 0;
            }
            if (armed != null && (armed.kind == Kind.PATTERN_BEFORE || armed.kind == Kind.PATTERN_AFTER_FRAME)
                    && !awaitingFrameEnd) {
                matched = b == armed.pattern[matched] ? matched + 1 : (b == armed.pattern[0] ? 1 : 0);
                if (matched == armed.pattern.length) {
                    matched = 0;
                    if (armed.kind == Kind.PATTERN_BEFORE) {
                        result = 0;
                    } else {
                        awaitingFrameEnd = true;
                    }
                }
            }
            if (b == 0) {
                inFrame = false;
                if (awaitingFrameEnd) {
                    awaitingFrameEnd = false;
                    result = 1;
                }
            }
            return result;
        }

        /** The STOMP byte this wire byte carries, or -1 for HTTP and WebSocket framing. */
        private int next(byte b) {
            switch (mode) {
                case RAW -> {
                    return b & 0xff;
                }
                case HTTP -> {
                    httpTail = b == HTTP_END[httpTail] ? httpTail + 1 : (b == '\r' ? 1 : 0);
                    if (httpTail == HTTP_END.length) {
                        mode = Mode.WS_HEADER;
                        secondHeaderByte = false;
                    }
                    return -1;
                }
                case WS_HEADER -> {
                    if (!secondHeaderByte) {
                        control = (b & 0x08) != 0; // close, ping, pong: not STOMP
                        int opcode = b & 0x0f;
                        if (opcode == 1 || opcode == 2) { // text or binary; 0 continues a message
                            dataMessages++;
                        }
                        secondHeaderByte = true;
                        return -1;
                    }
                    secondHeaderByte = false;
                    masked = (b & 0x80) != 0;
                    int length = b & 0x7f;
                    maskRead = 0;
                    if (length == 126 || length == 127) {
                        lengthBytes = length == 126 ? 2 : 8;
                        payloadLeft = 0;
                        mode = Mode.WS_LENGTH;
                    } else {
                        payloadLeft = length;
                        afterLength();
                    }
                    return -1;
                }
                case WS_LENGTH -> {
                    payloadLeft = (payloadLeft << 8) | (b & 0xff);
                    if (--lengthBytes == 0) {
                        afterLength();
                    }
                    return -1;
                }
                case WS_MASK -> {
                    mask[maskRead++] = b;
                    if (maskRead == mask.length) {
                        payloadIndex = 0;
                        mode = payloadLeft > 0 ? Mode.WS_PAYLOAD : Mode.WS_HEADER;
                    }
                    return -1;
                }
                case WS_PAYLOAD -> {
                    int plain = masked ? (b ^ mask[(int) (payloadIndex % 4)]) & 0xff : b & 0xff;
                    payloadIndex++;
                    if (--payloadLeft == 0) {
                        mode = Mode.WS_HEADER;
                    }
                    return control ? -1 : plain;
                }
                default -> {
                    return -1;
                }
            }
        }

        private void afterLength() {
            if (masked) {
                mode = Mode.WS_MASK;
            } else {
                payloadIndex = 0;
                mode = payloadLeft > 0 ? Mode.WS_PAYLOAD : Mode.WS_HEADER;
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (SocketException e) {
            // closed already
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "FaultInjectingProxy[" + port() + " -> " + targetPort + ", " + Arrays.toString(stalled) + "]";
    }
}
