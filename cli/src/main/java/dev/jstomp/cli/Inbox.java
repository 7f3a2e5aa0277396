package dev.jstomp.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompError;
import dev.jstomp.StompMessage;

/**
 * A subscription callback that queues messages for the command's own thread, so output keeps a fixed
 * order and every wait has a time limit. A failure of the session wakes the waiter at once.
 */
final class Inbox implements Consumer<StompMessage> {

    private static final Object FAILED = new Object();

    private final Session session;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile @Nullable StompError failure;

    Inbox(Session session) {
        this.session = session;
    }

    @Override
    public void accept(StompMessage message) {
        queue.add(message);
    }

    void fail(StompError error) {
        failure = error;
        queue.add(FAILED);
    }

    /**
     * The next message, waiting at most the session's timeout.
     *
     * @param what what is expected, for the message: "the message sent to /queue/x"
     * @throws CliException when none came in time or the connection failed
     */
    StompMessage next(String what) {
        return next(what, session.timeout());
    }

    /** {@link #next(String)} with its own time limit. */
    StompMessage next(String what, Duration limit) {
        StompMessage message = poll(limit);
        if (message == null) {
            throw new CliException("no " + what + " from " + session.url() + " within " + Texts.duration(limit));
        }
        return message;
    }

    /** The next {@code count} messages. */
    List<StompMessage> next(int count, String what) {
        List<StompMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(next(what + " (" + (i + 1) + " of " + count + ")"));
        }
        return messages;
    }

    /**
     * The next message, or {@code null} when none comes within the limit.
     *
     * @throws CliException when the connection failed
     */
    @Nullable StompMessage poll(Duration limit) {
        Object item;
        try {
            item = queue.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for a message");
        }
        if (item == FAILED) {
            queue.add(FAILED); // later calls fail too
            throw session.failed(failure);
        }
        return (StompMessage) item;
    }

    /** A message already queued, or {@code null}; never waits. */
    @Nullable StompMessage pollNow() {
        Object item = queue.peek();
        if (item == null || item == FAILED) {
            return null;
        }
        return (StompMessage) queue.poll();
    }
}
