package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.test.EmbeddedStompBroker;

/** Many connect/close cycles leave no threads and no sockets behind. */
class ResourceIT {

    private static final int CYCLES = 200;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectCloseCyclesLeakNothing(Transport transport) throws Exception {
        cycle(transport, 20); // warm up shared pools (Reactor Netty's event loops, Tyrus's classes)
        int threadsBefore = Thread.activeCount();
        long descriptorsBefore = openDescriptors();
        cycle(transport, CYCLES);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(Thread.activeCount()).as("live threads").isLessThanOrEqualTo(threadsBefore + 5);
            assertThat(openDescriptors()).as("open file descriptors").isLessThanOrEqualTo(descriptorsBefore + 10);
        });
        System.out.printf("%s: %d cycles, threads %d -> %d, descriptors %d -> %d%n", transport, CYCLES,
                threadsBefore, Thread.activeCount(), descriptorsBefore, openDescriptors());
    }

    private static void cycle(Transport transport, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            try (StompClient client = transport.client(broker)) {
                client.connectAsync(Map.of("login", broker.login(), "passcode", broker.passcode())).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static long openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }
}
