package dev.jstomp.internal.session;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.transport.FrameSink;

/**
 * Inbound back-pressure for one connection: the bytes of received messages still waiting for their
 * callbacks. Past {@code pauseAt} the connection stops reading, so that a broker pushing faster than the
 * callbacks keep up (any {@code ack: auto} subscription) fills its own queue and not the client's heap;
 * at half of it, it reads again. Over TCP reading pauses at the socket; a transport that cannot pause
 * (WebSocket: JSR-356 has no such call) has its reader thread wait here instead, which stops its reads too.
 * That thread is a Grizzly worker of the shared pool, which has one thread more for each reader waiting
 * this way ({@code WebSocketWorkers}), so a paused connection does not hold up the others.
 *
 * <p>Reading must not stop while something waits for a frame only reading brings. So it does not pause,
 * and a pause ends, while a RECEIPT is awaited; and when no callback has finished for {@code stallMillis}
 * (one may be waiting for a reply on another subscription) it reads on until the backlog is back under
 * the resume mark, and logs that once.
 */
final class InboundBacklog {

    private static final Logger log = LoggerFactory.getLogger(InboundBacklog.class);

    /** What a received message counts for beyond its body: the frame, its header map and strings. */
    static final int OVERHEAD_BYTES = 512;

    private final long pauseAt;
    private final long resumeAt;
    private final long stallNanos;
    private final ScheduledExecutorService timer;
    private final BooleanSupplier receiptAwaited;
    private final String address;
    private final LongSupplier nanoClock;
    private final AtomicLong bytes = new AtomicLong();
    /** Bytes of messages whose callbacks returned but that a holder keeps (ClientHooks.holdInBacklog). */
    private final AtomicLong heldBytes = new AtomicLong();
    /** Callbacks finished so far: the progress the stall check looks for. */
    private final AtomicLong finished = new AtomicLong();

    /** Reading is paused: the socket's reads are off, or a reader thread waits. */
    private volatile boolean paused;
    /** Callbacks stalled while paused: read on, without pausing, until the backlog is under resumeAt. */
    private volatile boolean stalled;
    // Guarded by this.
    private @Nullable FrameSink sink;
    private boolean closed;
    private boolean stallLogged;
    private @Nullable ScheduledFuture<?> stallCheck;
    private long progressSeen;
    private long progressAtNanos;

    /**
     * @param receiptAwaited whether the connection waits for a RECEIPT now
     * @param address the connection's address, for the log; never credentials
     */
    InboundBacklog(long pauseAt, long stallMillis, ScheduledExecutorService timer, BooleanSupplier receiptAwaited,
            String address) {
        this(pauseAt, stallMillis, timer, receiptAwaited, address, System::nanoTime);
    }

    /** @param nanoClock {@code System::nanoTime}, or a test's clock */
    InboundBacklog(long pauseAt, long stallMillis, ScheduledExecutorService timer, BooleanSupplier receiptAwaited,
            String address, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.pauseAt = pauseAt;
        this.resumeAt = pauseAt / 2;
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        this.timer = timer;
        this.receiptAwaited = receiptAwaited;
        this.address = address;
    }

    /** What a message counts for. */
    static long weight(Frame message) {
        return message.bodyLength() + (long) OVERHEAD_BYTES;
    }

    synchronized void open(FrameSink openSink) {
        sink = openSink;
    }

    /** Whether reading is paused now: the connection's silence is then its own doing, not the broker's. */
    boolean paused() {
        return paused;
    }

    /** Bytes of received messages whose callbacks have not finished. */
    long bytes() {
        return bytes.get();
    }

    /**
     * A message of this weight was handed to its callback lane; called by the connection's reader thread
     * after the hand-off. Past the mark reading pauses; a transport that cannot pause has this thread wait.
     */
    void queued(long weight) {
        if (bytes.addAndGet(weight) < pauseAt || stalled) {
            return;
        }
        synchronized (this) {
            if (paused || stalled || closed || sink == null || bytes.get() < pauseAt) {
                return;
            }
            // Set before looking again: a receipt registered, or a callback finishing, meanwhile then sees the
            // pause and ends it (each writes, then reads the other's flag, as this does).
            paused = true;
            if (receiptAwaited.getAsBoolean() || bytes.get() <= resumeAt) {
                paused = false;
                return;
            }
            progressSeen = finished.get();
            progressAtNanos = nanoClock.getAsLong();
            long slice = Math.max(1, TimeUnit.NANOSECONDS.toMillis(stallNanos) / 4);
            if (sink.pauseReading()) {
                try {
                    stallCheck = timer.scheduleAtFixedRate(this::checkStall, slice, slice, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    resume(); // the client is shutting down its timer: no pause it could not end
                }
            } else {
                holdReader(slice);
            }
        }
    }

    /** A callback of this weight finished (or was skipped); any thread. */
    void finished(long weight) {
        finished.incrementAndGet();
        if (bytes.addAndGet(-weight) > resumeAt || !(paused || stalled)) {
            return;
        }
        synchronized (this) {
            if (bytes.get() <= resumeAt) {
                stalled = false;
                resume();
            }
        }
    }

    /**
     * A callback returned but its message stays counted until its holder releases it (a reactive subscriber
     * without demand): the callback made progress, and no callback waits on these bytes.
     */
    void callbackReturned(long weight) {
        heldBytes.addAndGet(weight);
        finished.incrementAndGet();
    }

    /** A holder released a message it kept past its callback. */
    void releaseHeld(long weight) {
        heldBytes.addAndGet(-weight);
        finished(weight);
    }

    /** A RECEIPT is now awaited: it has to be read. */
    synchronized void receiptAwaited() {
        resume();
    }

    /** The connection closed: no more pauses; a waiting reader goes. */
    synchronized void close() {
        closed = true;
        resume();
    }

    /** Waits (holding the monitor's wait set, not the monitor) until resumed, closed or stalled. */
    private void holdReader(long sliceMillis) {
        Runnable goesOn = sink == null ? () -> { } : sink.readerWaits();
        try {
            while (paused && !closed && !stalledNow()) {
                wait(sliceMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: stop waiting, keep the flag
        } finally {
            goesOn.run();
        }
        paused = false;
    }

    /** Run by the timer while paused; also by tests. */
    synchronized void checkStall() {
        if (paused && stalledNow()) {
            resume();
        }
    }

    /** Whether no callback finished within the stall time; if so, marks the stall and says so once. */
    private boolean stalledNow() {
        long done = finished.get();
        long now = nanoClock.getAsLong();
        // Only held messages wait: no callback is running or queued that could wait for a frame, so the pause
        // is the holders' demand at work and no stall.
        if (done != progressSeen || bytes.get() <= heldBytes.get()) {
            progressSeen = done;
            progressAtNanos = now;
            return false;
        }
        if (now - progressAtNanos < stallNanos) {
            return false;
        }
        stalled = true;
        if (!stallLogged) {
            stallLogged = true;
            log.warn("No callback of the connection to {} finished for {} ms while {} bytes of messages waited for "
                    + "them; reading on anyway, in case a callback waits for a frame only reading brings (a reply). "
                    + "Received messages pile up in memory while callbacks block", address,
                    TimeUnit.NANOSECONDS.toMillis(stallNanos), bytes.get());
        }
        return true;
    }

    private void resume() {
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        if (!paused) {
            return;
        }
        paused = false;
        if (sink != null) {
            sink.resumeReading();
        }
        notifyAll();
    }
}
