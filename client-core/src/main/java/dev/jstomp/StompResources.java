package dev.jstomp;

import dev.jstomp.internal.resources.DefaultStompResources;

/**
 * The threads that clients run on: one set of Netty event loops for TCP, one Tyrus WebSocket container
 * with bounded selector and worker pools, one timer for heart-beats and timeouts, one callback pool and a
 * few writer threads. Every {@link StompClient} uses the JVM's {@linkplain #shared() shared} resources
 * unless it is given others, so a thousand clients cost no more threads than one (as Netty's event-loop
 * groups and Lettuce's {@code ClientResources}).
 *
 * <p>For isolation (say, one tenant's callbacks must not queue behind another's), create resources once
 * and hand them to the clients you build; you own them and close them after those clients:
 *
 * <pre>{@code
 * StompResources resources = StompResources.create(2, 4);
 * StompClient a = Stomp.overTCP("broker-a", 61613).resources(resources);
 * StompClient b = Stomp.client("ws://broker-b:15674/ws").resources(resources);
 * ...
 * a.close(); b.close();
 * resources.close();
 * }</pre>
 *
 * <p>The shared resources use daemon threads, made when a client first connects and let go of when the
 * last client using them has closed, but for their TCP event loops (one per core), which are made once
 * per JVM and kept, as Reactor Netty keeps its own. Tyrus keeps one Grizzly transport per JVM for all its
 * containers, so WebSocket I/O threads are shared by every {@code StompResources}; the rest is per instance.
 * Resources you create are meant to be made once: each one's event loops, once closed, stay reachable
 * (about 30 KiB), a Reactor Netty trait.
 */
public interface StompResources extends AutoCloseable {

    /** The resources clients use when given none; {@link #close()} on it does nothing. */
    static StompResources shared() {
        return DefaultStompResources.SHARED;
    }

    /** New resources with the default sizes: as many I/O threads as cores, 2 to 4 callback threads. */
    static StompResources create() {
        return new DefaultStompResources(DefaultStompResources.defaultIoThreads(),
                DefaultStompResources.defaultCallbackThreads(), false);
    }

    /**
     * New resources of these sizes.
     *
     * @param ioThreads Netty event-loop threads for TCP connections (at least 1)
     * @param callbackThreads threads that run callbacks (at least 1), always there; more are started while
     *     callbacks block, so that one blocking callback delays only its own subscription
     * @return resources the caller owns and closes
     */
    static StompResources create(int ioThreads, int callbackThreads) {
        if (ioThreads < 1 || callbackThreads < 1) {
            throw new IllegalArgumentException("ioThreads and callbackThreads must be at least 1, were "
                    + ioThreads + " and " + callbackThreads);
        }
        return new DefaultStompResources(ioThreads, callbackThreads, false);
    }

    /**
     * Releases the threads. Close the clients using these resources first: a client that connects
     * afterwards fails with {@link IllegalStateException}. Waits a bounded time for threads to finish; a
     * no-op when closed already, and on the {@linkplain #shared() shared} resources.
     */
    @Override
    void close();
}
