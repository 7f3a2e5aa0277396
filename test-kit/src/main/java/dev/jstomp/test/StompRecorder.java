package dev.jstomp.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;

/**
 * Records the messages of a subscription and waits for them, failing with a message that says what did
 * arrive.
 *
 * <pre>{@code
 * StompRecorder recorder = StompRecorder.subscribe(client, "/queue/orders");
 * client.send("/queue/orders", Map.of(), "one");
 * List<StompMessage> got = recorder.awaitMessages(1, Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>The {@code await...} methods hand out messages in arrival order, each once: {@code awaitMessages(2, t)}
 * then {@code awaitMessage(t)} return the first two messages, then the third. {@link #messages()} has every
 * message recorded so far. A recorder is also a {@code Consumer<StompMessage>}, so {@link #create()} gives one
 * to pass as the callback of a {@code subscribe} you make yourself.
 *
 * <p>Thread-safe: messages arrive on the client's callback threads while the test waits on its own.
 * Failures are {@link AssertionError}s, as a test framework expects.
 */
public final class StompRecorder implements Consumer<StompMessage>, AutoCloseable {

    /** How many recorded messages a failure message lists before it says "and N more". */
    private static final int LISTED = 10;
    /** How much of a body a failure message shows. */
    private static final int BODY_PREVIEW = 60;

    private final String what;
    private final List<StompMessage> messages = new ArrayList<>();
    private @Nullable Subscription subscription;
    /** Messages handed out by the await methods so far. */
    private int taken;

    private StompRecorder(String what) {
        this.what = what;
    }

    /**
     * Subscribes to a destination and records what arrives there.
     *
     * @param client a connected client
     * @param destination the destination to subscribe to
     * @return the recorder; {@link #close()} unsubscribes
     */
    public static StompRecorder subscribe(StompClient client, String destination) {
        return subscribe(client, destination, Map.of());
    }

    /**
     * Subscribes with SUBSCRIBE headers ({@code ack}, {@code id}, a selector, ...) and records what arrives.
     *
     * @param client a connected client
     * @param destination the destination to subscribe to
     * @param headers the SUBSCRIBE headers
     * @return the recorder; {@link #close()} unsubscribes
     */
    public static StompRecorder subscribe(StompClient client, String destination, Map<String, String> headers) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
        StompRecorder recorder = new StompRecorder(destination);
        Subscription subscription = client.subscribe(destination, recorder, headers);
        synchronized (recorder) {
            recorder.subscription = subscription;
        }
        return recorder;
    }

    /** A recorder to pass as a callback yourself: {@code client.subscribe(destination, recorder, headers)}. */
    public static StompRecorder create() {
        return new StompRecorder("the recorder");
    }

    /** Records a message (the subscription's callback). */
    @Override
    public synchronized void accept(StompMessage message) {
        messages.add(message);
        notifyAll();
    }

    /**
     * Waits for the next {@code count} messages (those no earlier await returned) and returns them in
     * arrival order.
     *
     * @param count how many messages to wait for, at least 1
     * @param timeout how long to wait for all of them
     * @return exactly {@code count} messages
     * @throws AssertionError when fewer arrived in time (the message lists those that did), or when interrupted
     */
    public List<StompMessage> awaitMessages(int count, Duration timeout) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (messages.size() - taken < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(shortfall(count, timeout));
                }
                pause(left);
            }
            List<StompMessage> next = List.copyOf(messages.subList(taken, taken + count));
            taken += count;
            return next;
        }
    }

    /** Waits for the next message; see {@link #awaitMessages(int, Duration)}. */
    public StompMessage awaitMessage(Duration timeout) {
        return awaitMessages(1, timeout).get(0);
    }

    /** The bodies of the next {@code count} messages, as text; see {@link #awaitMessages(int, Duration)}. */
    public List<String> awaitBodies(int count, Duration timeout) {
        return awaitMessages(count, timeout).stream().map(StompMessage::body).toList();
    }

    /**
     * Asserts that no message beyond those already awaited arrives within {@code quiet}: waits that long
     * (a passing test pays it), failing as soon as one does.
     *
     * @throws AssertionError naming the unexpected messages
     */
    public void assertNoMoreMessages(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        synchronized (this) {
            while (messages.size() == taken) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                pause(left);
            }
            throw new AssertionError("Expected no more messages on " + what + " within " + quiet + ", but "
                    + describe(messages.subList(taken, messages.size()), taken) + " arrived");
        }
    }

    /**
     * Waits on this recorder for up to {@code nanos}; an interrupt ends the test's wait as a failure (with the
     * flag set again), so the awaits need no {@code throws} clause in the test.
     */
    private void pause(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for messages on " + what, e);
        }
    }

    /** Every message recorded so far, in arrival order (awaited or not). */
    public synchronized List<StompMessage> messages() {
        return List.copyOf(messages);
    }

    /** The subscription {@link #subscribe} made, or null for a recorder from {@link #create()}. */
    public synchronized @Nullable Subscription subscription() {
        return subscription;
    }

    /** Unsubscribes the subscription {@link #subscribe} made (a no-op for {@link #create()}'s recorders). */
    @Override
    public void close() {
        Subscription s;
        synchronized (this) {
            s = subscription;
            subscription = null;
        }
        if (s != null) {
            s.unsubscribe();
        }
    }

    @Override
    public synchronized String toString() {
        return "StompRecorder[" + what + ", " + messages.size() + " recorded, " + taken + " awaited]";
    }

    private String shortfall(int count, Duration timeout) {
        List<StompMessage> arrived = messages.subList(taken, messages.size());
        StringBuilder text = new StringBuilder("Expected ").append(count).append(count == 1 ? " message" : " messages")
                .append(" on ").append(what).append(" within ").append(timeout).append(", but ");
        if (arrived.isEmpty()) {
            text.append("none arrived");
        } else {
            text.append(arrived.size()).append(" arrived: ").append(describe(arrived, taken));
        }
        if (taken > 0) {
            text.append(" (after the ").append(taken).append(" returned by earlier awaits)");
        }
        return text.toString();
    }

    /** Numbered from 1 in arrival order: {@code #3 message-id=..., destination=..., body "..."}. */
    private static String describe(List<StompMessage> list, int before) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < list.size() && i < LISTED; i++) {
            StompMessage m = list.get(i);
            text.append(i == 0 ? "" : "; ").append('#').append(before + i + 1)
                    .append(" message-id=").append(m.header("message-id"))
                    .append(", destination=").append(m.header("destination"))
                    .append(", body ").append(preview(m));
        }
        if (list.size() > LISTED) {
            text.append("; and ").append(list.size() - LISTED).append(" more");
        }
        return text.append(']').toString();
    }

    private static String preview(StompMessage message) {
        byte[] body = message.binaryBody();
        String text = new String(body, StandardCharsets.UTF_8);
        String shown = text.length() > BODY_PREVIEW ? text.substring(0, BODY_PREVIEW) + "..." : text;
        return "\"" + shown.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0") + "\" (" + body.length
                + " bytes)";
    }
}
