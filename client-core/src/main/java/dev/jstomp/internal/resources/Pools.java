package dev.jstomp.internal.resources;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import dev.jstomp.internal.util.DaemonThreads;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The threads behind one {@code StompResources}, all daemons: a timer (heart-beats, timeouts, reconnects), one
 * for Tyrus's sessions, the callback pool, writer threads (WebSocket backlogs, the debug hook), Netty event loops
 * for TCP, and Tyrus WebSocket clients over one Grizzly container (workers: {@link WebSocketWorkers}). The event loops and Tyrus clients are made on first use.
 */
public final class Pools {

    /** Tyrus's shared Grizzly transport stops after this long without a session (ClientProperties default: 30 s). */
    private static final int WEBSOCKET_IDLE_SECONDS = 5;
    /**
     * WebSocket handshakes in flight at once. One to a black-holed address holds its thread up to the
     * connect timeout, so this many such attempts delay the others' handshakes.
     */
    private static final int HANDSHAKES = 16;

    private final int ioThreads;
    private final boolean keepLoops;
    private final ScheduledThreadPoolExecutor timer;
    private final ScheduledThreadPoolExecutor webSocketTimer;
    private final ExecutorService writers;
    private final ExecutorService callbacks;
    private final ExecutorService handshakes;
    private final Map<WebSocketKey, Tyrus> webSocketClients = new ConcurrentHashMap<>();
    // Guarded by this.
    private @Nullable EventLoopGroup loops;
    private boolean shutdown;

    /** @param keepLoops use the JVM's one set of event loops, never shut down (the shared resources) */
    Pools(int ioThreads, int callbackThreads, boolean keepLoops) {
        this.ioThreads = ioThreads;
        this.keepLoops = keepLoops;
        timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("jstomp-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // What Tyrus schedules for its sessions: its own scheduler has 10 core threads, which it starts one per
        // session until there are 10 and keeps. A session schedules an idle-timeout check as it opens (jstomp
        // then turns the timeout off, see WebSocketTransport), a no-op, so one thread does; it goes when idle.
        // Discarding once shut down: a session opening as the last client closes must not make Tyrus log a
        // rejection.
        webSocketTimer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("jstomp-ws-timer"),
                new ThreadPoolExecutor.DiscardPolicy());
        webSocketTimer.setRemoveOnCancelPolicy(true);
        webSocketTimer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        webSocketTimer.setKeepAliveTime(5, TimeUnit.SECONDS);
        webSocketTimer.allowCoreThreadTimeOut(true);
        // Writers only block on a user's JSR-356 client (Tyrus's sends are asynchronous); idle ones go soon.
        writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DaemonThreads("jstomp-writer"));
        // callbackThreads always there; more while callbacks block (each blocked one holds a thread), so that a
        // callback blocking in one client delays only its own subscription, as when every client had its pool.
        ThreadPoolExecutor callbackPool = new ThreadPoolExecutor(callbackThreads, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DaemonThreads("jstomp-callback"));
        callbacks = callbackPool;
        // Tyrus's connectToServer blocks for the handshake, a beforeConnect supplier may block for a token: at
        // most HANDSHAKES at a time, the rest queued (a burst of thousands of connects must not make a thread
        // each); gone when idle.
        ThreadPoolExecutor handshakePool = new ThreadPoolExecutor(HANDSHAKES, HANDSHAKES, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DaemonThreads("jstomp-connect"));
        handshakePool.allowCoreThreadTimeOut(true);
        handshakes = handshakePool;
    }

    public ScheduledThreadPoolExecutor timer() {
        return timer;
    }

    public ExecutorService writers() {
        return writers;
    }

    public ExecutorService callbacks() {
        return callbacks;
    }

    /**
     * Where {@code beforeConnect} suppliers run: off the I/O threads and the client's lock, allowed to block
     * (fetching a token), bounded like the WebSocket handshakes they come before.
     */
    public ExecutorService beforeConnect() {
        return handshakes;
    }

    /** The event loops every TCP connection of these resources runs on. */
    public synchronized EventLoopGroup loops() {
        if (shutdown) {
            throw new IllegalStateException("StompResources closed");
        }
        if (keepLoops) {
            return sharedLoops();
        }
        if (loops == null) {
            loops = newLoops("jstomp-io", ioThreads);
        }
        return loops;
    }

    private static EventLoopGroup newLoops(String name, int threads) {
        // Native epoll where Netty has it (Linux), as Reactor Netty's own loops choose; NIO elsewhere.
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * The shared resources' event loops, made once per JVM and kept (daemon threads, as Reactor Netty's and
     * Tyrus's own shared ones): an event-loop group that carried Reactor Netty connections stays reachable
     * after its shutdown (about 30 KiB each, seen with jmap), so making one per spell of use would leak.
     */
    private static synchronized EventLoopGroup sharedLoops() {
        if (sharedLoops == null) {
            sharedLoops = newLoops("jstomp-io-shared", DefaultStompResources.defaultIoThreads());
        }
        return sharedLoops;
    }

    private static @Nullable EventLoopGroup sharedLoops;

    /**
     * A Spring client over Tyrus for these settings, shared by every connection that has the same ones.
     * Tyrus reads them from its {@code ClientManager}, so connections with different ones get managers of
     * their own; all of them run on Tyrus's one shared Grizzly container.
     */
    public WebSocketClient webSocketClient(int incomingBufferSize, Duration handshakeTimeout,
            @Nullable SSLContext sslContext) {
        synchronized (this) {
            if (shutdown) {
                throw new IllegalStateException("StompResources closed");
            }
        }
        return webSocketClients.computeIfAbsent(new WebSocketKey(incomingBufferSize, handshakeTimeout.toMillis(),
                sslContext), this::tyrus).spring();
    }

    private Tyrus tyrus(WebSocketKey key) {
        ClientManager manager = new ClientManager() {
            @Override
            public ScheduledExecutorService getScheduledExecutorService() {
                return webSocketTimer;
            }
        };
        Map<String, Object> properties = manager.getProperties();
        properties.put(ClientProperties.SHARED_CONTAINER, true);
        properties.put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, WEBSOCKET_IDLE_SECONDS);
        // Grizzly workers: ioThreads, one more for each reader waiting for its backlog (WebSocketWorkers).
        properties.put(GrizzlyClientProperties.WORKER_THREAD_POOL_CONFIG, WebSocketWorkers.shared().config(ioThreads));
        // Selector threads: Grizzly's own count (one per core), fixed; a pool config smaller than that is
        // "adjusted" with an INFO line on stderr, which a library must not print.
        properties.put(ClientProperties.INCOMING_BUFFER_SIZE, key.incomingBufferSize());
        properties.put(ClientProperties.HANDSHAKE_TIMEOUT, key.handshakeMillis());
        if (key.sslContext() != null) {
            // Tyrus verifies host names by default; this only swaps the trust (and key) material.
            properties.put(ClientProperties.SSL_ENGINE_CONFIGURATOR,
                    new SslEngineConfigurator(key.sslContext(), true, false, false));
        }
        StandardWebSocketClient client = new StandardWebSocketClient(manager);
        client.setTaskExecutor(new TaskExecutorAdapter(handshakes));
        return new Tyrus(manager, client);
    }

    /** Stops every thread: the timer at once, the others after what they run now (bounded). */
    void shutdown(long awaitMillis) {
        EventLoopGroup ownLoops;
        synchronized (this) {
            shutdown = true;
            ownLoops = loops;
            loops = null;
        }
        timer.shutdownNow();
        writers.shutdown();
        callbacks.shutdown();
        handshakes.shutdown();
        webSocketClients.values().forEach(tyrus -> tyrus.manager().shutdown());
        webSocketClients.clear();
        webSocketTimer.shutdownNow();
        if (ownLoops != null) {
            ownLoops.shutdownGracefully(0, Math.max(100, awaitMillis), TimeUnit.MILLISECONDS);
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(awaitMillis);
            writers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            callbacks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writers.shutdownNow();
        callbacks.shutdownNow();
        handshakes.shutdownNow();
    }

    private record WebSocketKey(int incomingBufferSize, long handshakeMillis, @Nullable SSLContext sslContext) {
    }

    private record Tyrus(ClientManager manager, StandardWebSocketClient spring) {
    }
}
