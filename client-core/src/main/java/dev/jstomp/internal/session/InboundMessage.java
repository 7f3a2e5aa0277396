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
    private volatile @Nullable AtomicBoolean held;
    private @Nullable Runnable release;

    InboundMessage(Frame frame, StompConnection connection, String ackMode) {
        super(frame.command(), frame.headers(), frame.bodyArray(), frame.bodyOffset(), frame.bodyLength());
        this.connection = connection;
        this.ackMode = ackMode;
    }

    /** The lane's backlog release; set before the callback runs. */
    void releaseWith(Runnable backlogRelease) {
        this.release = backlogRelease;
    }

    /** Keeps the message in the backlog past its callback; the returned task releases it, once. */
    @Nullable Runnable hold() {
        Runnable backlogRelease = release;
        if (backlogRelease == null) {
            return null;
        }
        AtomicBoolean once = new AtomicBoolean();
        held = once;
        return () -> {
            if (once.compareAndSet(false, true)) {
                backlogRelease.run();
            }
        };
    }

    /** Whether a callback took over the release with {@link #hold()}. */
    boolean isHeld() {
        return held != null;
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
