package dev.jstomp.internal.session;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.internal.frame.Frame;

/** The outbound buffer's policy: take room, wait for it, time out, release on write, give up on close. */
class OutboundBufferTest {

    private static final long LIMIT = 1000;
    private static final long TIMEOUT_MILLIS = 30_000;

    private final AtomicLong clock = new AtomicLong();
    private final OutboundBuffer buffer = new OutboundBuffer(LIMIT, TIMEOUT_MILLIS, "test:1 (TCP)", clock::get);

    /** Runs acquire on another thread; the future holds its outcome. */
    private CompletableFuture<Boolean> acquireElsewhere(long bytes) {
        return CompletableFuture.supplyAsync(() -> buffer.acquire(bytes, "SEND"));
    }

    private void advance(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        buffer.clockMoved();
    }

    @Test
    void takesRoomUpToTheLimitWithoutWaiting() {
        assertThat(buffer.acquire(600, "SEND")).isTrue();
        assertThat(buffer.acquire(400, "SEND")).isTrue();
        assertThat(buffer.queued()).isEqualTo(1000);
        assertThat(buffer.waiting()).isZero();
    }

    @Test
    void aFrameLargerThanTheLimitGoesWhenTheBufferIsEmpty() {
        assertThat(buffer.acquire(5000, "SEND")).isTrue();
        assertThat(buffer.queued()).isEqualTo(5000);
    }

    @Test
    void waitsWhileFullAndGoesOnWhenAWriteGivesRoomBack() {
        buffer.acquire(900, "SEND");
        CompletableFuture<Boolean> waiting = acquireElsewhere(200);
        await().until(() -> buffer.waiting() == 1);
        advance(29_000); // within the send timeout: still waiting
        assertThat(waiting).isNotDone();
        assertThat(buffer.waiting()).isEqualTo(1);

        buffer.release(100); // 800 + 200 fits
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
        assertThat(buffer.queued()).isEqualTo(1000);
    }

    @Test
    void timesOutAfterTheSendTimeoutNamingTheLimit() {
        buffer.acquire(900, "SEND");
        CompletableFuture<Boolean> waiting = acquireElsewhere(200);
        await().until(() -> buffer.waiting() == 1);
        advance(29_999);
        assertThat(waiting).isNotDone();
        advance(1);

        assertThat(waiting).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingCause().isInstanceOf(StompTimeoutException.class)
                .withMessageContaining("outbound buffer is full")
                .withMessageContaining("limit 1000 bytes")
                .withMessageContaining("outboundBufferLimit")
                .withMessageContaining("within 30000 ms (StompClient.sendTimeout)")
                .withMessageContaining("test:1 (TCP)");
        assertThat(buffer.queued()).isEqualTo(900); // the timed-out frame took nothing
        assertThat(buffer.waiting()).isZero();
    }

    @Test
    void aZeroTimeoutFailsAtOnceWhenFull() {
        OutboundBuffer noWait = new OutboundBuffer(LIMIT, 0, "test:1 (TCP)", clock::get);
        noWait.acquire(1000, "SEND");
        assertThatThrownBy(() -> noWait.acquire(1, "ACK")).isInstanceOf(StompTimeoutException.class)
                .hasMessageContaining("Cannot send ACK");
        assertThat(noWait.acquire(0, "SEND")).isTrue(); // what fits still goes
    }

    @Test
    void closeReleasesAWaitingSenderWithoutTakingRoom() {
        buffer.acquire(1000, "SEND");
        CompletableFuture<Boolean> waiting = acquireElsewhere(10);
        await().until(() -> buffer.waiting() == 1);
        buffer.close();
        assertThat(waiting).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(false);
        assertThat(buffer.acquire(1, "SEND")).isFalse(); // closed: nothing more is taken
    }

    @Test
    void acquireNowGoesPastTheLimitAndReleaseGivesItBack() {
        buffer.acquire(1000, "SEND");
        buffer.acquireNow(500);
        assertThat(buffer.queued()).isEqualTo(1500);
        buffer.release(1500);
        assertThat(buffer.queued()).isZero();
        buffer.release(0);
        assertThat(buffer.queued()).isZero();
    }

    @Test
    void anInterruptedSenderGivesUpAndKeepsItsFlag() throws Exception {
        buffer.acquire(1000, "SEND");
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                buffer.acquire(10, "SEND");
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e));
            }
        });
        sender.start();
        await().until(() -> buffer.waiting() == 1);
        sender.interrupt();
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("Interrupted");
        sender.join(5_000);
    }

    @Test
    void sendersOnManyThreadsAreNeverLeftWaitingAndNothingStaysTaken() throws Exception {
        // The real clock and a short timeout: a sender that missed its wake-up times out and fails the test.
        OutboundBuffer shared = new OutboundBuffer(LIMIT, 10_000, "test:1 (TCP)");
        BlockingQueue<Long> written = new LinkedBlockingQueue<>();
        int senders = 4;
        int frames = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
        try {
            List<Future<?>> sending = new ArrayList<>();
            AtomicLong highest = new AtomicLong();
            for (int s = 0; s < senders; s++) {
                sending.add(pool.submit(() -> {
                    for (int i = 0; i < frames; i++) {
                        long bytes = 1 + i % 90;
                        assertThat(shared.acquire(bytes, "SEND")).isTrue();
                        highest.accumulateAndGet(shared.queued(), Math::max);
                        written.add(bytes);
                    }
                    return null;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < senders * frames; i++) {
                    shared.release(written.take());
                }
                return null;
            });
            for (Future<?> f : sending) {
                f.get(60, TimeUnit.SECONDS);
            }
            writer.get(60, TimeUnit.SECONDS);
            assertThat(shared.queued()).isZero();
            assertThat(shared.waiting()).isZero();
            assertThat(highest.get()).isLessThanOrEqualTo(LIMIT);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFrameCountsForItsBodyHeadersAndOverhead() {
        Frame frame = new Frame("SEND", Map.of("destination", "/q/a"), new byte[100]);
        assertThat(OutboundBuffer.sizeOf(frame))
                .isEqualTo(OutboundBuffer.OVERHEAD_BYTES + 4 + 100 + "destination".length() + "/q/a".length() + 2);
    }
}
