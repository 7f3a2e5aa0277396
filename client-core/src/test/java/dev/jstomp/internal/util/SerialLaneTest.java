package dev.jstomp.internal.util;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialLaneTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void tasksRunInSubmissionOrderOneAtATime() throws Exception {
        SerialLane lane = new SerialLane(pool, "test");
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(2_000);

        for (int i = 0; i < 2_000; i++) {
            int index = i;
            lane.execute(() -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                order.add(index);
                inFlight.decrementAndGet();
                done.countDown();
            });
        }

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 2_000).boxed().toList());
        assertThat(maxInFlight.get()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(1)).until(lane::idle);
    }

    @Test
    void orderHoldsWithManyProducers() throws Exception {
        SerialLane lane = new SerialLane(pool, "test");
        int producers = 4;
        int perProducer = 500;
        List<List<Integer>> seen = new CopyOnWriteArrayList<>();
        for (int p = 0; p < producers; p++) {
            seen.add(new CopyOnWriteArrayList<>());
        }
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(producers * perProducer);
        ExecutorService feeders = Executors.newFixedThreadPool(producers);
        try {
            for (int p = 0; p < producers; p++) {
                int producer = p;
                feeders.execute(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        int index = i;
                        lane.execute(() -> {
                            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            seen.get(producer).add(index);
                            inFlight.decrementAndGet();
                            done.countDown();
                        });
                    }
                });
            }
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            feeders.shutdownNow();
        }

        for (List<Integer> fromOne : seen) {
            assertThat(fromOne).containsExactlyElementsOf(IntStream.range(0, perProducer).boxed().toList());
        }
        assertThat(maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void aThrowingTaskDoesNotStopTheLane() throws Exception {
        SerialLane lane = new SerialLane(pool, "test");
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);

        lane.execute(() -> ran.add("first"));
        lane.execute(() -> {
            throw new IllegalStateException("callback bug");
        });
        lane.execute(() -> {
            throw new AssertionError("an Error too");
        });
        lane.execute(() -> {
            ran.add("after");
            done.countDown();
        });

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("first", "after");
    }

    @Test
    void aBlockedLaneDoesNotBlockAnother() throws Exception {
        SerialLane blocked = new SerialLane(pool, "blocked");
        SerialLane free = new SerialLane(pool, "free");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch freeRan = new CountDownLatch(1);

        blocked.execute(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        free.execute(freeRan::countDown);

        assertThat(freeRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(blocked.idle()).isFalse();
        release.countDown();
        await().atMost(Duration.ofSeconds(2)).until(blocked::idle);
    }

    @Test
    void aBusyLaneYieldsItsThreadToOtherLanes() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            SerialLane busy = new SerialLane(single, "busy");
            SerialLane other = new SerialLane(single, "other");
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger busyDone = new AtomicInteger();
            CountDownLatch otherRan = new CountDownLatch(1);
            AtomicInteger busyDoneWhenOtherRan = new AtomicInteger(-1);
            busy.execute(() -> {
                try {
                    start.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 1_000; i++) {
                busy.execute(busyDone::incrementAndGet);
            }
            other.execute(() -> {
                busyDoneWhenOtherRan.set(busyDone.get());
                otherRan.countDown();
            });

            start.countDown();

            assertThat(otherRan.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(busyDoneWhenOtherRan.get()).as("other lane waited for all of the busy one").isLessThan(1_000);
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void tasksSubmittedAfterTheExecutorShutDownAreDroppedQuietly() {
        ExecutorService gone = Executors.newSingleThreadExecutor();
        gone.shutdown();
        SerialLane lane = new SerialLane(gone, "test");
        AtomicInteger ran = new AtomicInteger();

        lane.execute(ran::incrementAndGet);

        assertThat(ran.get()).isZero();
        assertThat(lane.idle()).isTrue();
    }

    @Test
    void aClosedGateHoldsTasksInOrderUntilReopened() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicInteger afterBatches = new AtomicInteger();
        SerialLane lane = new SerialLane(pool, "gated", afterBatches::incrementAndGet, false, open::get);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        lane.execute(() -> {
            ran.add(0);
            open.set(false); // as a socket that stops taking bytes after a write
        });
        for (int i = 1; i <= 100; i++) {
            int index = i;
            lane.execute(() -> ran.add(index));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> afterBatches.get() >= 1);
        // Held: no further run starts while the gate is shut, however many tasks arrive.
        lane.execute(() -> ran.add(101));
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> ran.equals(List.of(0)));
        assertThat(lane.idle()).isFalse();

        open.set(true);
        lane.reopen();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 102);
        assertThat(ran).containsExactlyElementsOf(IntStream.rangeClosed(0, 101).boxed().toList());
        await().atMost(Duration.ofSeconds(1)).until(lane::idle);
    }
    @Test
    void anIdleLaneRunsAQueuedTaskOnTheCallerAndABusyOneLeavesItToTheRun() throws Exception {
        AtomicInteger afterBatches = new AtomicInteger();
        SerialLane lane = new SerialLane(pool, "inline", afterBatches::incrementAndGet, false, () -> true);
        Thread caller = Thread.currentThread();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();

        lane.enqueue(() -> ranOn.add(Thread.currentThread()));
        assertThat(ranOn).as("queued only").isEmpty();
        lane.runHereIfIdle();

        assertThat(ranOn).containsExactly(caller);
        assertThat(afterBatches).as("the batch step follows the task").hasValue(1);
        assertThat(lane.idle()).isTrue();

        CountDownLatch release = new CountDownLatch(1);
        lane.execute(() -> {
            ranOn.add(Thread.currentThread());
            awaitQuietly(release);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == 2);
        lane.enqueue(() -> ranOn.add(Thread.currentThread()));
        lane.runHereIfIdle();
        assertThat(ranOn).as("left to the run under way, not run here").hasSize(2);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == 3);
        assertThat(ranOn.get(2)).isNotEqualTo(caller);
        await().atMost(Duration.ofSeconds(1)).until(lane::idle);
    }

    @Test
    void onlyOneTaskRunsOnTheCallerTheRestOnTheExecutor() {
        SerialLane lane = new SerialLane(pool, "inline", () -> { }, false, () -> true);
        Thread caller = Thread.currentThread();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int index = i;
            lane.enqueue(() -> {
                ran.add(index);
                ranOn.add(Thread.currentThread());
            });
        }

        lane.runHereIfIdle();

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 100);
        assertThat(ran).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        assertThat(ranOn.stream().filter(caller::equals).count()).isEqualTo(1);
    }

    @Test
    void aClosedGateHoldsAQueuedTaskUntilReopened() {
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(false);
        SerialLane lane = new SerialLane(pool, "gated", () -> { }, false, open::get);
        List<Integer> ran = new CopyOnWriteArrayList<>();

        lane.enqueue(() -> ran.add(1));
        lane.runHereIfIdle();
        lane.enqueue(() -> ran.add(2));
        lane.runHereIfIdle();
        org.awaitility.Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(ran::isEmpty);

        open.set(true);
        lane.reopen();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 2);
        assertThat(ran).containsExactly(1, 2);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
