package dev.jstomp.internal.resources;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.glassfish.grizzly.threadpool.AbstractThreadPool;
import org.glassfish.grizzly.threadpool.SyncThreadPool;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.grizzly.threadpool.ThreadPoolProbe;
import org.jspecify.annotations.Nullable;

/**
 * The Grizzly worker pool under Tyrus's shared client container: {@code core} threads, plus one for each
 * WebSocket reader that waits (its connection's inbound backlog is full, see InboundBacklog), and no more.
 *
 * <p>Why it is not simply fixed or simply elastic. JSR-356 has no call to stop reading one session, and
 * Tyrus gives no way to the Grizzly connection under its session (only private fields lead there), so a
 * WebSocket connection pauses its reading by keeping the Grizzly worker that delivers its messages: while
 * that worker waits, Grizzly reads nothing more of that connection, and the broker's messages wait on its
 * side. A fixed pool would then be stalled by as many paused connections as it has threads. An elastic
 * pool (Grizzly's {@link SyncThreadPool}, which starts a thread whenever a task finds none idle) grows with
 * every burst of reads, the broker's heart-beats of thousands of connections, and never shrinks again,
 * because it hands each task to its longest-idle thread, so no thread stays idle long enough to time out.
 *
 * <p>So the pool is a {@code SyncThreadPool} whose maximum jstomp moves: {@code core} while no reader waits,
 * {@code core + n} while {@code n} do. A burst of reads then queues for the {@code core} threads instead of
 * starting new ones; a reader that starts waiting lets the pool start one thread more (when a task next
 * finds no idle thread), so the others always have {@code core} threads that are not waiting; and when it
 * goes on, one thread above the maximum ends after its next task, or after {@link #KEEP_ALIVE_SECONDS}.
 * What this gives up against a real pause of reading: a paused WebSocket connection costs a thread (a
 * parked one) for as long as it is paused.
 *
 * <p>JVM-wide, as Tyrus's shared container is: the first jstomp client to make it hands it this pool's
 * configuration, and every pool made from that configuration (the container stops when idle, and a new one
 * starts on the next connect) reports itself here through a Grizzly {@link ThreadPoolProbe}, the pool's
 * public monitoring hook. If the container was made by someone else's Tyrus client first, it has their
 * pool, which jstomp does not touch: readers then wait on it as they would anywhere.
 */
public final class WebSocketWorkers {

    /** Time after which a thread above the maximum ends if it got no task meanwhile. */
    static final int KEEP_ALIVE_SECONDS = 5;

    private static final WebSocketWorkers INSTANCE = new WebSocketWorkers();

    /** Threads of the pools made from {@link #config}. */
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    /** The running pool; not guarded by this, as Grizzly reports a stop under its own lock (no lock order to keep). */
    private final AtomicReference<@Nullable AbstractThreadPool> pool = new AtomicReference<>();
    // Guarded by this.
    private int core;
    private int waiting;

    /** One per pool configuration's users: {@link #shared()}, or a test's own. */
    WebSocketWorkers() {
    }

    /** The one for this JVM's Tyrus shared container. */
    public static WebSocketWorkers shared() {
        return INSTANCE;
    }

    /**
     * The worker pool configuration to give Tyrus: {@code core} threads, daemons. Its maximum starts one above
     * the core only so that Grizzly makes a {@code SyncThreadPool} (it makes a fixed one when they are equal);
     * the probe lowers it to the core as the pool starts.
     */
    ThreadPoolConfig config(int coreThreads) {
        ThreadPoolConfig config = ThreadPoolConfig.defaultConfig()
                .setCorePoolSize(coreThreads).setMaxPoolSize(coreThreads + 1)
                .setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS).setDaemon(true).setPoolName("jstomp-ws-worker");
        config.getInitialMonitoringConfig().addProbes(new Probe(coreThreads));
        return config;
    }

    /**
     * The calling thread is about to wait for its connection's backlog to drain. If it is one of these
     * workers, the pool may start one thread more meanwhile; the returned action, run when the thread goes
     * on, takes that back. For any other thread (a user's own WebSocket client) both do nothing.
     */
    public Runnable readerWaits() {
        if (!workers.contains(Thread.currentThread())) {
            return () -> { };
        }
        synchronized (this) {
            waiting++;
            applyMaximum();
        }
        return () -> {
            synchronized (this) {
                waiting--;
                applyMaximum();
            }
        };
    }

    /** Threads the current pool has started and not yet seen end, or -1 when none runs (tests). */
    int poolSize() {
        AbstractThreadPool current = pool.get();
        return current == null ? -1 : current.getSize();
    }

    /** The maximum the current pool has now, or -1 when none runs (tests). */
    int maximum() {
        AbstractThreadPool current = pool.get();
        return current == null ? -1 : current.getConfig().getMaxPoolSize();
    }

    private synchronized void started(AbstractThreadPool started, int coreThreads) {
        pool.set(started);
        core = coreThreads;
        applyMaximum();
    }

    private void stopped(AbstractThreadPool stopped) {
        pool.compareAndSet(stopped, null);
    }

    /** Caller holds this. */
    private void applyMaximum() {
        AbstractThreadPool current = pool.get();
        if (current == null) {
            return;
        }
        current.getConfig().setMaxPoolSize(core + Math.max(0, waiting));
        // The pool reads its maximum under its own lock, which getSize() takes and releases: that publishes
        // the write above to the pool's threads (the config's field is not volatile).
        current.getSize();
    }

    /** Learns of the pools made from the configuration, and of their threads. */
    private final class Probe extends ThreadPoolProbe.Adapter {
        private final int coreThreads;

        Probe(int coreThreads) {
            this.coreThreads = coreThreads;
        }

        @Override
        public void onThreadPoolStartEvent(AbstractThreadPool threadPool) {
            if (threadPool instanceof SyncThreadPool) {
                started(threadPool, coreThreads);
            }
        }

        @Override
        public void onThreadPoolStopEvent(AbstractThreadPool threadPool) {
            stopped(threadPool);
        }

        @Override
        public void onThreadAllocateEvent(AbstractThreadPool threadPool, Thread thread) {
            workers.add(thread);
        }

        @Override
        public void onThreadReleaseEvent(AbstractThreadPool threadPool, Thread thread) {
            workers.remove(thread);
        }
    }
}
