package dev.jstomp.internal.session;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.internal.frame.Frame;

/**
 * The bytes of one connection's frames that were sent but not yet written to the transport, bounded: a
 * sender waits for room up to the send timeout, then gets a {@link StompTimeoutException} (Kafka's
 * {@code buffer.memory} and {@code max.block.ms}). Nothing is dropped: a frame is either queued or its
 * sender hears why not. A frame larger than the whole limit is let in when nothing else waits, or it could
 * never be sent.
 */
final class OutboundBuffer {

    /** What a frame counts for beyond its body and header text: the task, frame object, header map. */
    static final int OVERHEAD_BYTES = 128;

    private final long limit;
    private final long timeoutNanos;
    private final String address;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    // Guarded by lock.
    private long queued;
    private boolean closed;
    private int waiting;

    /**
     * @param limit the most bytes queued (outboundBufferLimit)
     * @param timeoutMillis how long a sender waits for room; 0 = not at all (sendTimeout)
     * @param address the connection's address, for messages; never credentials
     */
    OutboundBuffer(long limit, long timeoutMillis, String address) {
        this(limit, timeoutMillis, address, System::nanoTime);
    }

    /** @param nanoClock {@code System::nanoTime}, or a test's clock (then call {@link #clockMoved()}) */
    OutboundBuffer(long limit, long timeoutMillis, String address, LongSupplier nanoClock) {
        this.limit = limit;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.address = address;
        this.nanoClock = nanoClock;
    }

    /** What a frame counts for: its body, its header text and a little for the objects around them. */
    static long sizeOf(Frame frame) {
        long size = OVERHEAD_BYTES + frame.command().length() + frame.bodyLength();
        for (Map.Entry<String, String> header : frame.headers().entrySet()) {
            size += header.getKey().length() + header.getValue().length() + 2;
        }
        return size;
    }

    /**
     * Takes room for {@code bytes}, waiting up to the send timeout while the buffer is full.
     *
     * @return {@code true} when taken; {@code false} when the connection closed first (nothing taken)
     * @throws StompTimeoutException when no room came within the send timeout
     * @throws StompConnectionException when the waiting thread was interrupted (its flag is set again)
     */
    boolean acquire(long bytes, String command) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (fits(bytes)) {
                queued += bytes;
                return true;
            }
            long deadline = nanoClock.getAsLong() + timeoutNanos;
            waiting++;
            try {
                while (!closed && !fits(bytes)) {
                    long left = deadline - nanoClock.getAsLong();
                    if (left <= 0) {
                        throw full(command);
                    }
                    room.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StompConnectionException("Interrupted while " + command + " to " + address
                        + " waited for room in the outbound buffer; it was not sent", e);
            } finally {
                waiting--;
            }
            if (closed) {
                return false;
            }
            queued += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes room without waiting, past the limit if need be: frames the session itself must send. */
    void acquireNow(long bytes) {
        lock.lock();
        try {
            queued += bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the room of frames written (or given up): waiting senders go on. */
    void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        lock.lock();
        try {
            queued = Math.max(0, queued - bytes);
            if (waiting > 0) {
                room.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The connection closed: waiting senders give up at once (they then hold or fail as not connected). */
    void close() {
        lock.lock();
        try {
            closed = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes queued and not yet written. */
    long queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** Senders waiting for room now (tests). */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** For a test's clock: waiting senders look at the time again. */
    void clockMoved() {
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(long bytes) {
        return queued == 0 || queued + bytes <= limit;
    }

    private StompTimeoutException full(String command) {
        return new StompTimeoutException("Cannot send " + command + " to " + address + ": the outbound buffer is full ("
                + queued + " bytes sent and not yet written, limit " + limit + " bytes, see "
                + "StompClient.outboundBufferLimit) and no room came within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms (StompClient.sendTimeout); the broker or the network is not taking frames as fast as they are sent");
    }
}
