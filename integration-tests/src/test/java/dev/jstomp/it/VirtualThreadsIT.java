package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.test.EmbeddedStompBroker;
import dev.jstomp.StompClient;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.reactor.ReactiveStomp;
import reactor.test.StepVerifier;

/**
 * {@code callbackExecutor(Executors.newVirtualThreadPerTaskExecutor())} (Java 21+; run by the Java 25 leg of
 * {@code .ci/test.sh}): each subscription's callbacks still run one at a time and in order, now on virtual
 * threads; a blocked callback still stops the connection reading; and a {@code watch} Flux's demand still
 * bounds what is read. The build targets Java 17, so the executor and {@code Thread.isVirtual()} are reached
 * by reflection.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsIT {

    private static final int MESSAGES = 2_000;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void callbacksKeepTheirOrderOnePerSubscriptionAtATime(Wire wire) throws Exception {
        ExecutorService virtual = virtualThreadPerTask();
        String[] queues = {wire.queue("vt-a"), wire.queue("vt-b"), wire.queue("vt-c")};
        List<List<Integer>> received = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger platform = new AtomicInteger();
        try (StompClient consumer = wire.client(broker).callbackExecutor(virtual); StompClient producer = wire.client(broker)) {
            consumer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            for (int q = 0; q < queues.length; q++) {
                List<Integer> into = received.get(q);
                AtomicInteger running = new AtomicInteger();
                consumer.subscribe(queues[q], message -> {
                    if (running.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    if (!isVirtual(Thread.currentThread())) {
                        platform.incrementAndGet();
                    }
                    into.add(ReactiveIT.index(message));
                    Thread.yield(); // gives another virtual thread of this subscription the chance to overlap
                    running.decrementAndGet();
                });
            }
            for (int i = 0; i < MESSAGES; i++) {
                for (String queue : queues) {
                    producer.send(queue, Map.of("index", Integer.toString(i)), "m" + i);
                }
            }
            waitAtMost(Duration.ofSeconds(60)).until(() -> received.stream().allMatch(r -> r.size() == MESSAGES));
        } finally {
            virtual.shutdown();
        }
        for (List<Integer> one : received) {
            assertThat(one).containsExactlyElementsOf(IntStream.range(0, MESSAGES).boxed().toList());
        }
        assertThat(overlaps.get()).as("callbacks of one subscription running at once").isZero();
        assertThat(platform.get()).as("callbacks run on platform threads").isZero();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aBlockedCallbackOnAVirtualThreadStillStopsReading(Wire wire) throws Exception {
        ExecutorService virtual = virtualThreadPerTask();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        String queue = wire.queue("vt-paused");
        try (StompClient consumer = wire.client(broker).callbackExecutor(virtual); StompClient producer = wire.client(broker)) {
            int read = InboundBackPressureIT.floodUntilPaused(consumer, producer, broker.connectHeaders(), queue, message -> {
                received.incrementAndGet();
                InboundBackPressureIT.awaitQuietly(release);
            });
            assertThat(read).isLessThan(InboundBackPressureIT.COUNT / 2);
            assertThat(received.get()).isEqualTo(1);
            release.countDown();
            waitAtMost(Duration.ofSeconds(60)).until(() -> received.get() == InboundBackPressureIT.COUNT);
            System.out.printf("VirtualThreadsIT %s: %d of %d read while the virtual-thread callback was blocked%n",
                    wire, read, InboundBackPressureIT.COUNT);
        } finally {
            release.countDown();
            virtual.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aWatchFluxOnVirtualThreadsReadsNoMoreThanItsWindow(Wire wire) throws Exception {
        ExecutorService virtual = virtualThreadPerTask();
        String queue = wire.queue("vt-watch");
        AtomicInteger read = new AtomicInteger();
        try (StompClient consumer = wire.client(broker).callbackExecutor(virtual); StompClient producer = wire.client(broker)) {
            consumer.debug(line -> {
                if (line.startsWith("<<< MESSAGE")) {
                    read.incrementAndGet();
                }
            });
            consumer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            ReactiveIT.send(producer, queue, 100, 16);
            // A window of 1 is 1 byte on Artemis: exactly one message until it is acknowledged.
            StepVerifier.create(ReactiveStomp.from(consumer).watch(queue, Map.of("ack", "client-individual"))
                            .map(ReactiveIT::index), 1)
                    .expectNext(0)
                    .then(() -> org.awaitility.Awaitility.await().during(Duration.ofMillis(500))
                            .atMost(Duration.ofSeconds(3)).until(() -> read.get() == 1))
                    .thenCancel()
                    .verify(Duration.ofSeconds(20));
            StepVerifier.create(ReactiveStomp.from(consumer).watch(queue, Map.of("ack", "client-individual"))
                            .doOnNext(message -> message.ack())
                            .map(ReactiveIT::index)
                            .take(100))
                    .expectNextSequence(IntStream.range(0, 100).boxed().toList())
                    .expectComplete()
                    .verify(Duration.ofSeconds(20));
        } finally {
            virtual.shutdown();
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, a Java 21 method. */
    static ExecutorService virtualThreadPerTask() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Thread.isVirtual() needs Java 21", e);
        }
    }
}
