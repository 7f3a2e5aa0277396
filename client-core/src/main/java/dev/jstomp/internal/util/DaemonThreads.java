package dev.jstomp.internal.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names jstomp's threads and makes them daemons, so a forgotten client never keeps a JVM alive. */
public final class DaemonThreads implements ThreadFactory {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    public DaemonThreads(String name) {
        this.prefix = name + "-" + POOLS.incrementAndGet() + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
