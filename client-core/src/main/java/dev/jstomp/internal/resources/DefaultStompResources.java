package dev.jstomp.internal.resources;

import dev.jstomp.StompResources;

/**
 * {@link StompResources}: hands its {@link Pools} to the clients that use it. The shared instance counts
 * its clients and releases the pools when the last one closes (the next connect makes new ones), so an
 * application that closes its clients is left with no jstomp thread; one the user created keeps its pools
 * until {@link #close()}.
 */
public final class DefaultStompResources implements StompResources {

    /** What every client uses unless given other resources. */
    public static final DefaultStompResources SHARED =
            new DefaultStompResources(defaultIoThreads(), defaultCallbackThreads(), true);

    private final int ioThreads;
    private final int callbackThreads;
    private final boolean shared;
    // Guarded by this.
    private Pools pools;
    private int users;
    private boolean closed;

    public DefaultStompResources(int ioThreads, int callbackThreads, boolean shared) {
        this.ioThreads = ioThreads;
        this.callbackThreads = callbackThreads;
        this.shared = shared;
    }

    /** As many event-loop threads as cores: each connection's I/O is light, and they never block. */
    public static int defaultIoThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** 2 to 4: callbacks may block a while, and ordering is per subscription anyway. */
    public static int defaultCallbackThreads() {
        return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * A client starts using these resources (its first connect); it gives them back with {@link #release}.
     *
     * @throws IllegalStateException when these resources were closed
     */
    public synchronized Pools retain() {
        if (closed) {
            throw new IllegalStateException("These StompResources are closed; create new ones with "
                    + "StompResources.create() or leave the client on the shared ones");
        }
        if (pools == null) {
            pools = new Pools(ioThreads, callbackThreads, shared);
        }
        users++;
        return pools;
    }

    /**
     * A client that {@link #retain retained} these pools has closed.
     *
     * @param awaitMillis how long to wait for threads to finish, if this was the last client of the shared pools
     */
    public void release(Pools used, long awaitMillis) {
        Pools done = null;
        synchronized (this) {
            if (used != pools) {
                return; // closed meanwhile
            }
            users--;
            if (shared && users == 0) {
                done = pools;
                pools = null;
            }
        }
        if (done != null) {
            done.shutdown(awaitMillis);
        }
    }

    @Override
    public void close() {
        if (shared) {
            return;
        }
        Pools done;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            done = pools;
            pools = null;
        }
        if (done != null) {
            done.shutdown(2_000);
        }
    }

    @Override
    public String toString() {
        return "StompResources[" + (shared ? "shared, " : "") + ioThreads + " I/O threads, " + callbackThreads
                + " callback threads]";
    }
}
