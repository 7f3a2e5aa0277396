package dev.jstomp.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.glassfish.grizzly.threadpool.GrizzlyExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Grizzly worker pool jstomp gives Tyrus, on a real Grizzly pool: a burst of reads waits for the core
 * threads instead of growing the pool; a reader that waits for its backlog lends the others a thread, and
 * the pool is back at its core once it goes on.
 */
class WebSocketWorkersTest {

    private static final int CORE = 2;

    private final WebSocketWorkers workers = new WebSocketWorkers();
    private final GrizzlyExecutorService pool = GrizzlyExecutorService.createInstance(workers.config(CORE));

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aBurstOfTasksWaitsForTheCoreThreadsInsteadOfGrowingThePool() throws Exception {
        assertThat(workers.maximum()).isEqualTo(CORE);
        CountDownLatch busy = new CountDownLatch(CORE);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < CORE; i++) {
            pool.execute(() -> {
                busy.countDown();
                awaitQuietly(release);
            });
        }
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> burst = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            burst.add(CompletableFuture.runAsync(() -> { }, pool));
        }
        // Grizzly's elastic pool would have started a thread for each of them (in execute, so counted by now).
        assertThat(workers.poolSize()).isEqualTo(CORE);
        release.countDown();
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(workers.poolSize()).isEqualTo(CORE);
    }

    @Test
    void waitingReadersLendTheOthersAThreadEachAndThePoolShrinksOnceTheyGoOn() throws Exception {
        CountDownLatch waiting = new CountDownLatch(CORE);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < CORE; i++) {
            pool.execute(() -> {
                Runnable goesOn = workers.readerWaits();
                waiting.countDown();
                try {
                    awaitQuietly(release);
                } finally {
                    goesOn.run();
                }
            });
        }
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(workers.maximum()).isEqualTo(2 * CORE);
        // Every core thread waits, and yet other connections' reads are served.
        for (int i = 0; i < 20; i++) {
            CompletableFuture.runAsync(() -> { }, pool).get(5, TimeUnit.SECONDS);
        }
        assertThat(workers.poolSize()).isBetween(CORE + 1, 2 * CORE);

        release.countDown();
        await().atMost(Duration.ofSeconds(WebSocketWorkers.KEEP_ALIVE_SECONDS + 5)).untilAsserted(() -> {
            CompletableFuture.runAsync(() -> { }, pool).get(5, TimeUnit.SECONDS);
            assertThat(workers.poolSize()).isEqualTo(CORE);
        });
        assertThat(workers.maximum()).isEqualTo(CORE);
    }

    @Test
    void aThreadOutsideThePoolLendsNothing() {
        Runnable goesOn = workers.readerWaits();
        assertThat(workers.maximum()).isEqualTo(CORE);
        goesOn.run();
        assertThat(workers.maximum()).isEqualTo(CORE);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
