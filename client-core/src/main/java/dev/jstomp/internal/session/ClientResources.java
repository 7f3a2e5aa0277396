package dev.jstomp.internal.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.jstomp.internal.util.DaemonThreads;

/**
 * The threads one client owns: a timer (heart-beats, timeouts), writers, and, unless the user supplied
 * an executor, the callback pool. All daemon threads; all released by {@link #shutdown()}.
 */
final class ClientResources {

    final ScheduledThreadPoolExecutor timer;
    final ExecutorService writers;
    private final int callbackThreads;
    private ExecutorService ownCallbacks;
    private ThreadPoolExecutor beforeConnect;

    ClientResources(int callbackThreads) {
        this.callbackThreads = callbackThreads;
        timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("jstomp-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // Writers block in Tyrus's synchronous send; idle ones go away after a while.
        writers = Executors.newCachedThreadPool(new DaemonThreads("jstomp-writer"));
    }

    /** The client's own callback pool, made the first time a connect uses it. */
    synchronized ExecutorService ownCallbacks() {
        if (ownCallbacks == null) {
            ownCallbacks = Executors.newFixedThreadPool(callbackThreads, new DaemonThreads("jstomp-callback"));
        }
        return ownCallbacks;
    }

    /**
     * The thread the beforeConnect supplier runs on, made the first time: one at a time (attempts never
     * overlap), allowed to block (fetching a token), gone when idle.
     */
    synchronized ExecutorService beforeConnect() {
        if (beforeConnect == null) {
            beforeConnect = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    new DaemonThreads("jstomp-before-connect"));
            beforeConnect.allowCoreThreadTimeOut(true);
        }
        return beforeConnect;
    }

    void shutdown(long awaitMillis) {
        ExecutorService ownCallbacks;
        synchronized (this) {
            ownCallbacks = this.ownCallbacks;
            if (beforeConnect != null) {
                beforeConnect.shutdownNow(); // a supplier still blocking is interrupted
            }
        }
        timer.shutdownNow();
        writers.shutdown();
        if (ownCallbacks != null) {
            ownCallbacks.shutdown();
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(awaitMillis);
            writers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (ownCallbacks != null) {
                ownCallbacks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writers.shutdownNow();
        if (ownCallbacks != null) {
            ownCallbacks.shutdownNow();
        }
    }
}
