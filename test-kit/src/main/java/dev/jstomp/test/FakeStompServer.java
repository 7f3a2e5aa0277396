package dev.jstomp.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jstomp.StompFrame;

/**
 * A scripted STOMP server on a free loopback port, over TCP or WebSocket, for the faults no broker produces
 * on demand: the connection dropped at a chosen step, an ERROR frame, silence, garbage, an oversized frame.
 *
 * <pre>{@code
 * try (FakeStompServer server = FakeStompServer.tcp()
 *         .on(Step.SUBSCRIBE, Fault.error("no such queue"))
 *         .start();
 *      StompClient client = Stomp.client(server.url())) {
 *     client.connect(Map.of(), connected -> client.subscribe("/queue/x", m -> { }), errors::add);
 *     // errors receives a StompError whose message() is "no such queue"
 * }
 * }</pre>
 *
 * <p>Until its fault fires, the server behaves like a small broker, one connection at a time: it answers
 * CONNECT with CONNECTED (the highest STOMP version the client offers; heart-beats at the rate the client
 * asks to receive them, none asked of the client), answers every {@code receipt} header with a RECEIPT,
 * delivers a SEND as a MESSAGE to the subscriptions of the same connection on that destination, and
 * closes after DISCONNECT. Connections do not see each other.
 *
 * <p>A fault fires once per connection, at the first time its {@link Step} is reached;
 * {@link Builder#on(Step, Fault)} applies it to every connection, {@link Builder#onConnection(int, Step, Fault)}
 * to one (say the first, to see a client reconnect to a server that then works).
 *
 * <p>The server's one I/O thread is a daemon; {@link #close()} closes every connection and stops it.
 */
public final class FakeStompServer implements AutoCloseable {

    /** Where in the STOMP conversation a fault fires. */
    public enum Step {
        /** As soon as the connection is open (after the WebSocket handshake), before CONNECT is read. */
        ACCEPT,
        /** When CONNECT (or STOMP) arrives, instead of the CONNECTED answer. */
        CONNECT,
        /** Right after CONNECTED has been sent. */
        CONNECTED,
        /** When a SUBSCRIBE arrives, instead of its RECEIPT (if it asked for one). */
        SUBSCRIBE,
        /** When a SEND arrives, instead of delivering it. */
        SEND,
        /** When DISCONNECT arrives, instead of its RECEIPT. */
        DISCONNECT
    }

    /** What the server does when its {@link Step} is reached. */
    public static final class Fault {

        enum Kind { DROP, ERROR, SILENCE, GARBAGE, OVERSIZED }

        final Kind kind;
        final String errorMessage;
        final byte[] garbage;
        final int bodyBytes;

        private Fault(Kind kind, String errorMessage, byte[] garbage, int bodyBytes) {
            this.kind = kind;
            this.errorMessage = errorMessage;
            this.garbage = garbage;
            this.bodyBytes = bodyBytes;
        }

        /** Closes the connection at once (a TCP close; over WebSocket without a close frame). */
        public static Fault drop() {
            return new Fault(Kind.DROP, "", new byte[0], 0);
        }

        /**
         * Sends an ERROR frame with this {@code message} header (and {@code receipt-id} when the frame that
         * reached the step asked for a receipt), then closes, as a broker does.
         */
        public static Fault error(String message) {
            return new Fault(Kind.ERROR, Objects.requireNonNull(message, "message"), new byte[0], 0);
        }

        /** Writes nothing more, not even heart-beats, and reads on: the connection stays open. */
        public static Fault silence() {
            return new Fault(Kind.SILENCE, "", new byte[0], 0);
        }

        /** Writes bytes that are no STOMP frame (an unknown command) and goes on reading. */
        public static Fault garbage() {
            return garbage("NOT-A-STOMP-COMMAND\nx:y\n\n\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        /** Writes these bytes as they are (over WebSocket as one binary message) and goes on reading. */
        public static Fault garbage(byte[] bytes) {
            return new Fault(Kind.GARBAGE, "", bytes.clone(), 0);
        }

        /**
         * Writes a MESSAGE frame with a body of this many bytes (and its {@code content-length}) to the
         * connection's first subscription (or subscription {@code 0}): larger than the client's
         * {@code maxFrameSize}, it makes the client fail with a {@code StompProtocolException}. The client's
         * default limit is 32 MiB; set a small one in the test to keep it fast.
         */
        public static Fault oversizedFrame(int bodyBytes) {
            if (bodyBytes < 1) {
                throw new IllegalArgumentException("bodyBytes must be positive, was " + bodyBytes);
            }
            return new Fault(Kind.OVERSIZED, "", new byte[0], bodyBytes);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case DROP -> "drop()";
                case ERROR -> "error(\"" + errorMessage + "\")";
                case SILENCE -> "silence()";
                case GARBAGE -> "garbage(" + garbage.length + " bytes)";
                case OVERSIZED -> "oversizedFrame(" + bodyBytes + ")";
            };
        }
    }

    /** Sets up a server: its faults, then {@link #start()}. */
    public static final class Builder {
        private final boolean webSocket;
        private final Map<Step, Fault> everyConnection = new EnumMap<>(Step.class);
        private final Map<Integer, Map<Step, Fault>> byConnection = new HashMap<>();

        private Builder(boolean webSocket) {
            this.webSocket = webSocket;
        }

        /** Makes every connection meet this fault at this step (one fault per step). */
        public Builder on(Step step, Fault fault) {
            everyConnection.put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /**
         * Makes only the {@code connection}-th connection (1 = the first accepted) meet this fault at this
         * step; it wins over {@link #on} for that step.
         */
        public Builder onConnection(int connection, Step step, Fault fault) {
            if (connection < 1) {
                throw new IllegalArgumentException("connections are counted from 1, was " + connection);
            }
            byConnection.computeIfAbsent(connection, n -> new EnumMap<>(Step.class))
                    .put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /** Starts the server on a free loopback port. */
        public FakeStompServer start() {
            return new FakeStompServer(this);
        }
    }

    private final boolean webSocket;
    private final Map<Step, Fault> everyConnection;
    private final Map<Integer, Map<Step, Fault>> byConnection;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<StompFrame> received = new CopyOnWriteArrayList<>();
    private final List<String> faultsFired = new CopyOnWriteArrayList<>();
    private final FakeTransport transport;

    private FakeStompServer(Builder builder) {
        this.webSocket = builder.webSocket;
        this.everyConnection = new EnumMap<>(builder.everyConnection);
        Map<Integer, Map<Step, Fault>> copy = new HashMap<>();
        builder.byConnection.forEach((n, faults) -> copy.put(n, new EnumMap<>(faults)));
        this.byConnection = copy;
        this.transport = FakeTransport.start(webSocket, this::newConnection);
    }

    /** A server speaking STOMP over raw TCP. */
    public static Builder tcp() {
        return new Builder(false);
    }

    /** A server speaking STOMP over WebSocket (sub-protocols {@code v12.stomp}, {@code v11.stomp}, {@code v10.stomp}; any path). */
    public static Builder webSocket() {
        return new Builder(true);
    }

    /** {@code tcp://127.0.0.1:PORT} or {@code ws://127.0.0.1:PORT/stomp}, for {@code Stomp.client(url)}. */
    public String url() {
        return (webSocket ? "ws://" : "tcp://") + "127.0.0.1:" + port() + (webSocket ? "/stomp" : "");
    }

    /** The port the server listens on. */
    public int port() {
        return transport.port();
    }

    /** Connections opened so far (WebSocket: handshakes completed). */
    public int connections() {
        return connections.get();
    }

    /** Every frame clients sent, over all connections, in arrival order (heart-beats left out). */
    public List<StompFrame> received() {
        return List.copyOf(received);
    }

    /** The commands of {@link #received()}: {@code [CONNECT, SUBSCRIBE, SEND, ...]}. */
    public List<String> receivedCommands() {
        List<String> commands = new ArrayList<>();
        for (StompFrame frame : received) {
            commands.add(frame.command());
        }
        return commands;
    }

    /** The faults that fired, as {@code "connection 1: SUBSCRIBE error(\"...\")"}, in order. */
    public List<String> faultsFired() {
        return List.copyOf(faultsFired);
    }

    /** Closes every connection and stops the server (bounded: a few seconds at most). */
    @Override
    public void close() {
        transport.close(Duration.ofSeconds(3));
    }

    @Override
    public String toString() {
        return "FakeStompServer[" + url() + ", " + connections() + " connections]";
    }

    private FakeConnection newConnection(FakeConnection.Output output) {
        int number = connections.incrementAndGet();
        Map<Step, Fault> faults = new EnumMap<>(everyConnection);
        Map<Step, Fault> own = byConnection.get(number);
        if (own != null) {
            faults.putAll(own);
        }
        return new FakeConnection(number, faults, output, received::add,
                (step, fault) -> faultsFired.add("connection " + number + ": " + step + " " + fault));
    }
}
