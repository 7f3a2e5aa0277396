package dev.jstomp.internal.session;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompException;
import dev.jstomp.StompMessage;
import dev.jstomp.internal.frame.Frame;

/** A MESSAGE as handed to a subscription's callback; remembers the connection it came on, for ACK/NACK. */
final class InboundMessage extends Frame implements StompMessage {

    private final StompConnection connection;
    private final String ackMode;
    /** Set by the callback ({@link ClientHooks#holdInBacklog}): the backlog is released by the holder, not the lane. */
    private volatile boolean held;
    private @Nullable Runnable release;
    /** The backlog it counts in while delivered to a subscription (null otherwise), and its weight there. */
    private @Nullable InboundBacklog backlog;
    private long weight;

    InboundMessage(Frame frame, StompConnection connection, String ackMode) {
        super(frame.command(), frame.headers(), frame.bodyArray(), frame.bodyOffset(), frame.bodyLength());
        this.connection = connection;
        this.ackMode = ackMode;
    }

    /** Counted in this backlog with this weight; set before the callback runs. */
    void countedIn(InboundBacklog counting, long countedWeight) {
        this.backlog = counting;
        this.weight = countedWeight;
    }

    /**
     * Keeps the message in the backlog past its callback; the returned task releases it, once. Called on the
     * callback's thread; a second call returns the same task.
     */
    @Nullable Runnable hold() {
        InboundBacklog counting = backlog;
        if (counting == null) {
            return null;
        }
        if (release == null) {
            AtomicBoolean once = new AtomicBoolean();
            long countedWeight = weight;
            release = () -> {
                if (once.compareAndSet(false, true)) {
                    counting.releaseHeld(countedWeight);
                }
            };
            held = true;
        }
        return release;
    }

    /** Whether a callback took over the release with {@link #hold()}. */
    boolean isHeld() {
        return held;
    }

    /** The connection it came on. */
    StompConnection connection() {
        return connection;
    }

    @Override
    public void ack(Map<String, String> headers) {
        acknowledge("ACK", headers);
    }

    @Override
    public void nack(Map<String, String> headers) {
        acknowledge("NACK", headers);
    }

    private void acknowledge(String command, Map<String, String> headers) {
        Objects.requireNonNull(headers, "headers");
        if ("auto".equals(ackMode)) {
            throw new StompException("Cannot " + command + " a message of subscription '" + header("subscription")
                    + "': it was made with ack:auto; subscribe with ack: client or client-individual");
        }
        if (!connection.isConnected()) {
            throw new dev.jstomp.StompConnectionException("Cannot " + command + ": the message arrived on a "
                    + "connection to " + connection.describe() + " that has closed since; the broker will redeliver it",
                    null);
        }
        connection.send(AckFrames.build(command, this, connection.version(), headers));
    }
}
