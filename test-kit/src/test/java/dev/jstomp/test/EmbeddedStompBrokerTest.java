package dev.jstomp.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;

/**
 * The extension's lifetimes (a static field: one broker per class; an instance field: one per test), each
 * run through the JUnit engine itself. No broker of this class's own runs meanwhile, so every thread the
 * samples' brokers started must be gone after them.
 */
class EmbeddedStompBrokerTest {

    /** What a sample test saw of its broker while it ran. */
    record Seen(EmbeddedStompBroker broker, int port, File dataDir, String server) {
    }

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    /** Connects a real client over both transports and notes what it saw. */
    static void observe(EmbeddedStompBroker broker) throws Exception {
        assertThat(broker.isRunning()).as("running during the test").isTrue();
        String server = null;
        for (String url : List.of(broker.tcpUrl(), broker.wsUrl())) {
            try (StompClient client = Stomp.client(url)) {
                server = client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS).header("server");
            }
        }
        SEEN.add(new Seen(broker, broker.port(),
                broker.artemis().server().getConfiguration().getBrokerInstance(), String.valueOf(server)));
    }

    /** Two tests that each note what they saw of the sample's broker. */
    abstract static class TwoTests {
        abstract EmbeddedStompBroker broker();

        @Test
        void first() throws Exception {
            observe(broker());
        }

        @Test
        void second() throws Exception {
            observe(broker());
        }
    }

    static class PerClassSample extends TwoTests {
        @RegisterExtension
        static EmbeddedStompBroker broker = EmbeddedStompBroker.create();

        @Override
        EmbeddedStompBroker broker() {
            return broker;
        }
    }

    static class PerTestSample extends TwoTests {
        @RegisterExtension
        EmbeddedStompBroker broker = EmbeddedStompBroker.create();

        @Override
        EmbeddedStompBroker broker() {
            return broker;
        }
    }

    /** Two @Nested classes inherit the outer class's extension: the first must not close it for the second. */
    static class NestedSample {
        @RegisterExtension
        static EmbeddedStompBroker broker = EmbeddedStompBroker.create();

        @Nested
        class First {
            @Test
            void test() throws Exception {
                observe(broker);
            }
        }

        @Nested
        class Second {
            @Test
            void test() throws Exception {
                observe(broker);
            }
        }
    }

    @Test
    void nestedClassesShareTheOuterClasssBroker() {
        List<Seen> seen = runTwoTestsOf(NestedSample.class);

        assertThat(seen.get(0).broker()).isSameAs(seen.get(1).broker());
        assertThat(seen.get(0).dataDir()).as("the same run of the broker, not one restarted in between")
                .isEqualTo(seen.get(1).dataDir());
    }

    @Test
    void aStaticFieldIsOneBrokerForTheClassClosedAfterIt() {
        List<Seen> seen = runTwoTestsOf(PerClassSample.class);

        assertThat(seen.get(0).broker()).isSameAs(seen.get(1).broker());
        assertThat(seen.get(0).port()).isEqualTo(seen.get(1).port());
        assertThat(seen.get(0).server()).contains("ActiveMQ");
    }

    @Test
    void anInstanceFieldIsAFreshBrokerForEachTest() {
        List<Seen> seen = runTwoTestsOf(PerTestSample.class);

        assertThat(seen.get(0).broker()).isNotSameAs(seen.get(1).broker());
        assertThat(seen.get(0).dataDir()).isNotEqualTo(seen.get(1).dataDir());
    }

    /**
     * Runs a sample class's two tests through the JUnit engine; afterwards every broker they saw is closed,
     * its data directory deleted and its threads gone.
     */
    private static List<Seen> runTwoTestsOf(Class<?> sample) {
        SEEN.clear();
        Set<Thread> before = nonDaemonThreads();

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute()
                .testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(SEEN).hasSize(2);
        for (Seen seen : SEEN) {
            assertThat(seen.broker().isRunning()).as("closed afterwards").isFalse();
            assertThat(seen.dataDir()).as("data directory deleted").doesNotExist();
        }
        assertNoNewNonDaemonThreads(before);
        return List.copyOf(SEEN);
    }

    private static Set<Thread> nonDaemonThreads() {
        // Awaitility's poller is the test's own (and not a daemon).
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon() && t.isAlive())
                .filter(t -> !t.getName().startsWith("awaitility")).collect(Collectors.toSet());
    }

    /** Artemis's own pools are not daemon threads: they must all be gone once the broker is closed. */
    private static void assertNoNewNonDaemonThreads(Set<Thread> before) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<Thread> now = nonDaemonThreads();
            now.removeAll(before);
            assertThat(now.stream().map(t -> t.getName() + " " + t.getState() + " "
                    + java.util.Arrays.toString(t.getStackTrace())).toList()).as("non-daemon threads left behind").isEmpty();
        });
    }
}
