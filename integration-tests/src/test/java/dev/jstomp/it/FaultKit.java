package dev.jstomp.it;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * What the fault tests (FaultIT, DegradedIT, LeakIT, FailoverIT, HeldSendIT, TlsIT) share: the two wires,
 * URLs straight to the broker or through a {@link FaultInjectingProxy}, a recorder of what a client
 * reports, and process resource figures.
 */
final class FaultKit {

    private FaultKit() {
    }

    /** Awaitility polling every 10 ms, so measured latencies are not rounded up to 100 ms. */
    static ConditionFactory waitAtMost(Duration timeout) {
        return Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    /** The two transports, with URLs built here rather than from the shared (changing) test helpers. */
    enum Wire {
        TCP, WEBSOCKET;

        boolean webSocket() {
            return this == WEBSOCKET;
        }

        String url(EmbeddedStompBroker broker) {
            return webSocket() ? broker.wsUrl() : broker.tcpUrl();
        }

        String url(FaultInjectingProxy proxy) {
            return proxy.url(webSocket());
        }

        StompClient client(EmbeddedStompBroker broker) {
            return Stomp.client(url(broker));
        }

        StompClient client(FaultInjectingProxy proxy) {
            return Stomp.client(url(proxy));
        }

        String queue(String name) {
            return "/queue/" + name + "-" + name().toLowerCase() + "-" + System.nanoTime();
        }
    }


    /** A timestamped event. */
    record Event<T>(T value, long nanos) {
        long millisAfter(long startNanos) {
            return (nanos - startNanos) / 1_000_000;
        }
    }

    /** Records a client's state changes, degraded signals and errors, with the time each arrived. */
    static final class Recording {
        final List<Event<ConnectionState>> states = new CopyOnWriteArrayList<>();
        final List<Event<Boolean>> degraded = new CopyOnWriteArrayList<>();
        final List<StompError> errors = new CopyOnWriteArrayList<>();
        final List<Long> errorNanos = new CopyOnWriteArrayList<>();

        StompClient attach(StompClient client) {
            client.onStateChange(state -> states.add(new Event<>(state, System.nanoTime())));
            client.onConnectionDegraded(late -> degraded.add(new Event<>(late, System.nanoTime())));
            return client;
        }

        Consumer<StompError> onError() {
            return error -> {
                errorNanos.add(System.nanoTime());
                errors.add(error);
            };
        }

        List<ConnectionState> stateList() {
            return states.stream().map(Event::value).toList();
        }

        List<Boolean> degradedList() {
            return degraded.stream().map(Event::value).toList();
        }

        /** The first time the client entered this state at or after the given time, or -1. */
        long firstState(ConnectionState state, long afterNanos) {
            return states.stream().filter(e -> e.value() == state && e.nanos() >= afterNanos)
                    .mapToLong(Event::nanos).findFirst().orElse(-1);
        }
    }

    /**
     * Live threads (but the embedded broker's: Artemis's pools grow under load and idle out after a minute),
     * open file descriptors and heap used after GC, of this JVM (broker included but for threads).
     */
    record Resources(int threads, long descriptors, long heapBytes) {

        static Resources measure() {
            return new Resources(clientThreads(), openDescriptors(), heapAfterGc());
        }

        static int clientThreads() {
            return (int) Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !thread.getName().contains("activemq")).count();
        }

        static long openDescriptors() {
            String[] fds = new File("/proc/self/fd").list();
            return fds == null ? -1 : fds.length;
        }

        static long heapAfterGc() {
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                System.gc();
                used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            return used;
        }

        /** Live threads by name, digits dropped ("jstomp-writer-#" x 3), for failure messages. */
        static String threadNames() {
            java.util.Map<String, Integer> names = new java.util.TreeMap<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                names.merge(thread.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
            return names.toString();
        }

        @Override
        public String toString() {
            return "threads " + threads + ", fds " + descriptors + ", heap " + heapBytes / (1024 * 1024) + " MiB";
        }
    }
}
