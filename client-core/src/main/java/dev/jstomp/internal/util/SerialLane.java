package dev.jstomp.internal.util;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

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

    public SerialLane(Executor executor, String name) {
        this(executor, name, () -> { }, false);
    }

    /**
     * @param afterBatch runs on the lane after each run of tasks (for example, to flush what they wrote
     *     in one go)
     * @param inlineWhenRejected when the executor has shut down, run what is left on the submitting
     *     thread instead of dropping it (for clean-up work that must happen, such as closing a socket)
     */
    public SerialLane(Executor executor, String name, Runnable afterBatch, boolean inlineWhenRejected) {
        this.executor = executor;
        this.name = name;
        this.afterBatch = afterBatch;
        this.inlineWhenRejected = inlineWhenRejected;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
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
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.warn("{}: a callback threw; delivery goes on", name, e);
                }
            }
            try {
                afterBatch.run();
            } catch (RuntimeException | Error e) {
                log.warn("{}: the end-of-batch step threw", name, e);
            }
        } finally {
            scheduled.set(false);
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }

    /** True when no task waits or runs; for tests and draining at close. */
    public boolean idle() {
        return tasks.isEmpty() && !scheduled.get();
    }
}
