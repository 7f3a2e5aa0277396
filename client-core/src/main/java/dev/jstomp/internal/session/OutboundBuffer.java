package dev.jstomp.internal.session;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
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

    private static final AtomicLongFieldUpdater<OutboundBuffer> QUEUED =
            AtomicLongFieldUpdater.newUpdater(OutboundBuffer.class, "queued");

    private final long limit;
    private final long timeoutNanos;
    private final String address;
    private final LongSupplier nanoClock;
    /** Only senders that wait take it: taking and giving back room is a compare-and-set, without a lock. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private volatile long queued;
    private volatile boolean closed;
    /** Senders waiting for room; changed under the lock, read without it by {@link #release}. */
    private volatile int waiting;

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
        if (closed) {
            return false;
        }
        return tryTake(bytes) || awaitRoom(bytes, command);
    }

    /** Takes the room if it fits now (an empty buffer takes any frame, or a large one could never go). */
    private boolean tryTake(long bytes) {
        while (true) {
            long now = queued;
            if (now > 0 && now + bytes > limit) {
                return false;
            }
            if (QUEUED.compareAndSet(this, now, now + bytes)) {
                return true;
            }
        }
    }

    private boolean awaitRoom(long bytes, String command) {
        long deadline = nanoClock.getAsLong() + timeoutNanos;
        lock.lock();
        try {
            waiting++;
            try {
                // waiting is raised before queued is read again: release() either sees a waiter or is seen here.
                boolean taken = false;
                while (!closed && !(taken = tryTake(bytes))) {
                    long left = deadline - nanoClock.getAsLong();
                    if (left <= 0) {
                        throw full(command);
                    }
                    room.awaitNanos(left);
                }
                return taken;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StompConnectionException("Interrupted while " + command + " to " + address
                        + " waited for room in the outbound buffer; it was not sent", e);
            } finally {
                waiting--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes room without waiting, past the limit if need be: frames the session itself must send. */
    void acquireNow(long bytes) {
        QUEUED.addAndGet(this, bytes);
    }

    /** Gives back the room of frames written (or given up): waiting senders go on. */
    void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        QUEUED.addAndGet(this, -bytes);
        if (waiting > 0) {
            signalWaiters();
        }
    }

    private void signalWaiters() {
        lock.lock();
        try {
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection closed: waiting senders give up at once (they then hold or fail as not connected). */
    void close() {
        closed = true;
        signalWaiters();
    }

    /** Bytes queued and not yet written. */
    long queued() {
        return queued;
    }

    /** Senders waiting for room now (tests). */
    int waiting() {
        return waiting;
    }

    /** For a test's clock: waiting senders look at the time again. */
    void clockMoved() {
        signalWaiters();
    }

    private StompTimeoutException full(String command) {
        return new StompTimeoutException("Cannot send " + command + " to " + address + ": the outbound buffer is full ("
                + queued + " bytes sent and not yet written, limit " + limit + " bytes, see "
                + "StompClient.outboundBufferLimit) and no room came within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms (StompClient.sendTimeout); the broker or the network is not taking frames as fast as they are sent");
    }
}
