package dev.jstomp.internal.util;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. Gives each subscription (and
 * each connection's writer) its own order without giving it its own thread.
 *
 * <p>A task that throws is logged and the lane goes on: one bad callback must not stop delivery.
 */
public final class SerialLane implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialLane.class);

    /** Tasks run per turn before the lane yields its thread to other lanes. */
    private static final int BATCH = 256;

    private final Executor executor;
    private final String name;
    private final Runnable afterBatch;
    private final boolean inlineWhenRejected;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final BooleanSupplier open;
    /** Set when a run stopped at a closed gate; new tasks then wait for {@link #reopen()}. */
    private volatile boolean gated;

    public SerialLane(Executor executor, String name) {
        this(executor, name, () -> { }, false, () -> true);
    }

    /**
     * @param afterBatch runs on the lane after each run of tasks (for example, to flush what they wrote
     *     in one go)
     * @param inlineWhenRejected when the executor has shut down, run what is left on the submitting
     *     thread instead of dropping it (for clean-up work that must happen, such as closing a socket)
     * @param open whether the lane may run its next task now (a writer's socket that can take more);
     *     when it says no, the lane stops and waits for {@link #reopen()}
     */
    public SerialLane(Executor executor, String name, Runnable afterBatch, boolean inlineWhenRejected,
            BooleanSupplier open) {
        this.executor = executor;
        this.name = name;
        this.afterBatch = afterBatch;
        this.inlineWhenRejected = inlineWhenRejected;
        this.open = open;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!gated) {
            schedule();
        }
    }

    /**
     * Queues a task without starting a run: the caller must follow with {@link #runHereIfIdle()}. Split in
     * two so that the queueing can happen under a lock and the running after it is released.
     */
    public void enqueue(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the next task on the calling thread, then {@code afterBatch}, when no run is under way and the gate
     * is open; otherwise makes sure a run will come as for {@link #execute}. For work that never blocks (a
     * WebSocket writer whose sends are asynchronous), this saves a thread hop when there is no backlog to share
     * a batch with. One task at most: what else waits runs on the executor, never on this caller.
     */
    public void runHereIfIdle() {
        if (gated) {
            return; // reopen() runs what waits
        }
        if (!open.getAsBoolean() || !scheduled.compareAndSet(false, true)) {
            schedule(); // a run under way takes the task along; a shut gate is found by the run
            return;
        }
        try {
            Runnable task = tasks.poll();
            if (task != null) {
                runLogged(task);
            }
            afterBatch();
        } finally {
            endRun();
        }
    }

    /** Starts a run for what {@link #enqueue} queued, as {@link #execute} would have (on the executor). */
    public void runQueued() {
        if (!gated) {
            schedule();
        }
    }

    /** The gate may have opened (or must be passed, as for a close): run what waits. */
    public void reopen() {
        gated = false;
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                if (inlineWhenRejected) {
                    drain(); // still marked scheduled, so nobody else drains meanwhile
                } else {
                    scheduled.set(false);
                    tasks.clear();
                    log.debug("{}: executor shut down; pending tasks dropped", name);
                }
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                if (!open.getAsBoolean()) {
                    gated = true;
                    break;
                }
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                runLogged(task);
            }
            afterBatch();
        } finally {
            endRun();
        }
    }

    /** Ends a run, on the executor or the caller: what arrived meanwhile gets a run of its own. */
    private void endRun() {
        scheduled.set(false);
        if (gated && open.getAsBoolean()) {
            gated = false; // opened while this run was stopping: reopen() may have found it still scheduled
        }
        if (!tasks.isEmpty() && !gated) {
            schedule();
        }
    }

    private void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.warn("{}: a callback threw; delivery goes on", name, e);
        }
    }

    private void afterBatch() {
        try {
            afterBatch.run();
        } catch (RuntimeException | Error e) {
            log.warn("{}: the end-of-batch step threw", name, e);
        }
    }

    /** True when no task waits or runs; for tests and draining at close. */
    public boolean idle() {
        return tasks.isEmpty() && !scheduled.get();
    }
}
