package dev.jstomp.test;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;
import dev.jstomp.internal.frame.FrameParser;
import dev.jstomp.test.FakeStompServer.Fault;
import dev.jstomp.test.FakeStompServer.Step;

/**
 * One connection of a {@link FakeStompServer}: a tiny broker for one client, until a fault fires. Called
 * only on the connection's event-loop thread, so it needs no locks. Frames are read and written with
 * jstomp's own codec (the same STOMP 1.2 bytes a broker reads and writes).
 */
final class FakeConnection {

    /** The connection's transport, as the protocol side sees it. */
    interface Output {
        /** Writes bytes: one TCP write, or one binary WebSocket message. */
        void write(byte[] bytes);

        /** Closes the connection abruptly. */
        void drop();

        /** Schedules a task on the connection's thread, repeating every period until the connection closes. */
        void every(long periodMillis, Runnable task);
    }

    /** What the server reads from a client, at most (oversized test frames go the other way). */
    private static final int MAX_CLIENT_FRAME = 64 * 1024 * 1024;

    private final int number;
    private final Map<Step, Fault> faults;
    private final Output output;
    private final Consumer<StompFrame> received;
    private final BiConsumer<Step, Fault> fired;
    private final FrameParser parser = new FrameParser(MAX_CLIENT_FRAME);
    /** Subscription id to destination, in subscription order. */
    private final Map<String, String> subscriptions = new LinkedHashMap<>();
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private boolean silent;
    private boolean closed;
    private long messageIds;

    FakeConnection(int number, Map<Step, Fault> faults, Output output, Consumer<StompFrame> received,
            BiConsumer<Step, Fault> fired) {
        this.number = number;
        this.faults = faults;
        this.output = output;
        this.received = received;
        this.fired = fired;
    }

    /** The connection is open (WebSocket: handshake done). */
    void opened() {
        fault(Step.ACCEPT, null);
    }

    /** Bytes from the client, in order. */
    void read(ByteBuffer bytes) {
        if (closed) {
            return;
        }
        ByteBuffer all = ByteBuffer.allocate(pending.remaining() + bytes.remaining());
        all.put(pending).put(bytes).flip();
        List<Frame> frames;
        try {
            frames = parser.parse(all);
        } catch (StompException e) {
            // A client that sends what no broker reads is dropped, as a broker would.
            close();
            return;
        }
        pending = all.slice();
        for (Frame frame : frames) {
            if (frame == FrameParser.HEARTBEAT) {
                continue;
            }
            received.accept(frame);
            if (!closed) {
                handle(frame);
            }
        }
    }

    void closed() {
        closed = true;
    }

    private void handle(Frame frame) {
        if (silent) {
            return;
        }
        switch (frame.command()) {
            case "CONNECT", "STOMP" -> {
                if (fault(Step.CONNECT, frame)) {
                    return;
                }
                connected(frame);
                fault(Step.CONNECTED, null);
            }
            case "SUBSCRIBE" -> {
                String id = frame.header("id");
                subscriptions.put(id == null ? "0" : id, String.valueOf(frame.header("destination")));
                if (!fault(Step.SUBSCRIBE, frame)) {
                    receipt(frame);
                }
            }
            case "SEND" -> {
                if (!fault(Step.SEND, frame)) {
                    deliver(frame);
                    receipt(frame);
                }
            }
            case "UNSUBSCRIBE" -> {
                subscriptions.remove(String.valueOf(frame.header("id")));
                receipt(frame);
            }
            case "DISCONNECT" -> {
                if (!fault(Step.DISCONNECT, frame)) {
                    receipt(frame);
                    close();
                }
            }
            default -> receipt(frame); // ACK, NACK, BEGIN, COMMIT, ABORT: accepted, nothing to do
        }
    }

    /** Runs the step's fault, if there is one for this connection; true when it replaced the normal answer. */
    private boolean fault(Step step, @Nullable Frame cause) {
        Fault fault = faults.remove(step);
        if (fault == null) {
            return false;
        }
        fired.accept(step, fault);
        switch (fault.kind) {
            case DROP -> close();
            case ERROR -> {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("message", fault.errorMessage);
                String receipt = cause == null ? null : cause.header("receipt");
                if (receipt != null) {
                    headers.put("receipt-id", receipt);
                }
                headers.put("content-type", "text/plain");
                write(new Frame("ERROR", headers, ("fake server: " + fault.errorMessage).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
                close();
            }
            case SILENCE -> silent = true;
            case GARBAGE -> output.write(fault.garbage);
            case OVERSIZED -> {
                String subscription = subscriptions.keySet().stream().findFirst().orElse("0");
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("subscription", subscription);
                headers.put("message-id", "fake-" + number + "-oversized");
                headers.put("destination", subscriptions.getOrDefault(subscription, "/queue/oversized"));
                write(new Frame("MESSAGE", headers, new byte[fault.bodyBytes]));
            }
        }
        return true;
    }

    private void connected(Frame connect) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("version", version(connect.header("accept-version")));
        // Beat at the rate the client wants to hear from us; ask for no beats from it.
        long beatEvery = clientWantsEvery(connect.header("heart-beat"));
        headers.put("heart-beat", beatEvery + ",0");
        headers.put("server", "jstomp-fake/1");
        headers.put("session", "fake-" + number);
        write(new Frame("CONNECTED", headers, new byte[0]));
        if (beatEvery > 0) {
            output.every(beatEvery, () -> {
                if (!silent && !closed) {
                    output.write(new byte[] {'\n'});
                }
            });
        }
    }

    private void deliver(Frame send) {
        String destination = send.header("destination");
        for (Map.Entry<String, String> subscription : subscriptions.entrySet()) {
            if (!subscription.getValue().equals(destination)) {
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> header : send.headers().entrySet()) {
                if (!header.getKey().equals("receipt") && !header.getKey().equals("content-length")) {
                    headers.put(header.getKey(), header.getValue());
                }
            }
            String id = "fake-" + number + "-" + ++messageIds;
            headers.put("subscription", subscription.getKey());
            headers.put("message-id", id);
            headers.put("ack", id);
            write(new Frame("MESSAGE", headers, send.binaryBody()));
        }
    }

    private void receipt(Frame frame) {
        String receipt = frame.header("receipt");
        if (receipt != null) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("receipt-id", receipt);
            write(new Frame("RECEIPT", headers, new byte[0]));
        }
    }

    private void write(Frame frame) {
        if (!closed && !silent) {
            output.write(FrameEncoder.encode(frame));
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            output.drop();
        }
    }

    /** The highest version both speak; no header means 1.0. */
    private static String version(@Nullable String acceptVersion) {
        if (acceptVersion == null) {
            return "1.0";
        }
        List<String> offered = List.of(acceptVersion.split(","));
        for (String version : List.of("1.2", "1.1", "1.0")) {
            if (offered.contains(version)) {
                return version;
            }
        }
        return "1.0";
    }

    /** The client's {@code cy}: how often it wants to hear from the server, in ms (0 = never). */
    private static long clientWantsEvery(@Nullable String heartBeat) {
        if (heartBeat == null) {
            return 0;
        }
        String[] parts = heartBeat.split(",");
        try {
            return parts.length == 2 ? Math.max(0, Long.parseLong(parts[1].trim())) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
