package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.it.FaultKit.Resources;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * Connect/disconnect cycles and reconnects leave nothing behind: live threads (the broker's aside), open file
 * descriptors and heap after GC come back to where they were (generous bounds: the broker shares the JVM).
 * 1,000 cycles over each transport, 100 reconnects (override with {@code -Djstomp.leak.tcpCycles},
 * {@code -Djstomp.leak.wsCycles}, {@code -Djstomp.leak.reconnects}).
 */
class LeakIT {

    private static final int TCP_CYCLES = Integer.getInteger("jstomp.leak.tcpCycles", 1_000);
    private static final int WS_CYCLES = Integer.getInteger("jstomp.leak.wsCycles", 1_000);
    private static final int RECONNECTS = Integer.getInteger("jstomp.leak.reconnects", 100);
    private static final int WARM_UP = 20;
    private static final int THREAD_SLACK = 10;
    private static final int DESCRIPTOR_SLACK = 20;
    private static final long HEAP_SLACK = 32L * 1024 * 1024;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void connectDisconnectCyclesLeakNothing(Wire wire) throws Exception {
        int cycles = wire.webSocket() ? WS_CYCLES : TCP_CYCLES;
        cycle(wire, WARM_UP); // shared pools (Reactor Netty's event loops, Tyrus's and Artemis's classes)
        Resources before = Resources.measure();
        long t0 = System.nanoTime();
        cycle(wire, cycles);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Resources after = settled(before);
        System.out.printf("LeakIT %s: %d connect/disconnect cycles in %d ms (%.1f ms each); before: %s; after: %s%n",
                wire, cycles, millis, (double) millis / cycles, before, after);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void reconnectsLeakNothing(Wire wire) throws Exception {
        String queue = wire.queue("reconnects");
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = wire.client(proxy)) {
            client.reconnectDelay(10).reconnectMaxDelay(20);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            client.subscribe(queue, m -> bodies.add(m.body()), Map.of("id", "survivor"));
            reconnect(proxy, client, 10); // warm up
            Resources before = Resources.measure();
            long t0 = System.nanoTime();
            reconnect(proxy, client, RECONNECTS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Resources after = settled(before);
            client.send(queue, Map.of(), "still subscribed");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.contains("still subscribed"));
            System.out.printf("LeakIT %s: %d reconnects (proxy cuts) in %d ms (%.1f ms each); before: %s; after: %s%n",
                    wire, RECONNECTS, millis, (double) millis / RECONNECTS, before, after);
        }
    }

    private static void cycle(Wire wire, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            try (StompClient client = wire.client(broker)) {
                client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
                client.disconnectAsync().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void reconnect(FaultInjectingProxy proxy, StompClient client, int times) {
        for (int i = 0; i < times; i++) {
            int before = proxy.connections();
            proxy.cutAll();
            waitAtMost(Duration.ofSeconds(10)).until(() -> proxy.connections() > before && client.connected()
                    && proxy.openConnections() == 1);
        }
    }

    /** Waits (bounded) for the figures to come back within the slack of the baseline, and returns them. */
    private static Resources settled(Resources before) {
        waitAtMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Resources now = Resources.measure();
            assertThat(now.threads()).as("live threads (before: %s; now: %s)", before, Resources.threadNames())
                    .isLessThanOrEqualTo(before.threads() + THREAD_SLACK);
            assertThat(now.descriptors()).as("open file descriptors (before: %s)", before)
                    .isLessThanOrEqualTo(before.descriptors() + DESCRIPTOR_SLACK);
            assertThat(now.heapBytes()).as("heap after GC (before: %s)", before)
                    .isLessThanOrEqualTo(before.heapBytes() + HEAP_SLACK);
        });
        return Resources.measure();
    }
}
