package dev.jstomp.internal.session;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.transport.FrameSink;

/** When a connection stops and starts reading, for the bytes its callbacks have yet to take. */
class InboundBacklogTest {

    private static final long MARK = 1000;
    private static final long LONG_STALL = 60_000;

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final AtomicBoolean receiptAwaited = new AtomicBoolean();
    private final RecordingSink sink = new RecordingSink(true);
    private final AtomicLong clock = new AtomicLong();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private InboundBacklog backlog(long stallMillis, FrameSink on) {
        InboundBacklog backlog = new InboundBacklog(MARK, stallMillis, timer, receiptAwaited::get, "test:1 (TCP)",
                clock::get);
        backlog.open(on);
        return backlog;
    }

    @Test
    void pausesAtTheMarkAndResumesAtHalfOfIt() {
        InboundBacklog backlog = backlog(LONG_STALL, sink);
        backlog.queued(600);
        assertThat(sink.calls).isEmpty();
        backlog.queued(400);
        backlog.queued(400); // paused already: no second pause
        assertThat(sink.calls).containsExactly("pause");
        assertThat(backlog.paused()).isTrue();

        backlog.finished(600); // 800 left: over half the mark
        assertThat(sink.calls).containsExactly("pause");
        backlog.finished(400); // 400 left
        assertThat(sink.calls).containsExactly("pause", "resume");
        assertThat(backlog.paused()).isFalse();
        assertThat(backlog.bytes()).isEqualTo(400);
    }

    @Test
    void doesNotPauseWhileAReceiptIsAwaitedAndEndsAPauseWhenOneIs() {
        InboundBacklog backlog = backlog(LONG_STALL, sink);
        receiptAwaited.set(true);
        backlog.queued(1500);
        assertThat(sink.calls).isEmpty();

        receiptAwaited.set(false);
        backlog.queued(10);
        assertThat(sink.calls).containsExactly("pause");
        backlog.receiptAwaited();
        assertThat(sink.calls).containsExactly("pause", "resume");
        assertThat(backlog.paused()).isFalse();
    }

    @Test
    void readsOnWhenNoCallbackFinishesUntilTheBacklogDrains() {
        InboundBacklog backlog = backlog(100, sink);
        backlog.queued(1000);
        assertThat(sink.calls).containsExactly("pause");
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(99));
        backlog.checkStall();
        assertThat(sink.calls).containsExactly("pause");

        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        backlog.checkStall();
        assertThat(sink.calls).containsExactly("pause", "resume");
        backlog.queued(1000); // stalled: reading goes on however much waits
        assertThat(sink.calls).hasSize(2);

        backlog.finished(1000);
        backlog.finished(1000); // drained: the stall is over
        backlog.queued(1000);
        assertThat(sink.calls).containsExactly("pause", "resume", "pause");
    }

    @Test
    void progressWhilePausedIsNoStall() {
        InboundBacklog backlog = backlog(200, sink);
        backlog.queued(5000);
        for (int i = 0; i < 8; i++) {
            // Four times the stall time passes, in steps with a callback finishing in each.
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            backlog.finished(10);
            backlog.checkStall();
        }
        assertThat(sink.calls).containsExactly("pause");
        assertThat(backlog.paused()).isTrue();
    }

    @Test
    void messagesHeldPastTheirCallbacksKeepReadingPausedWithoutStalling() {
        InboundBacklog backlog = backlog(200, sink);
        for (int i = 0; i < 3; i++) {
            backlog.queued(400);
            backlog.callbackReturned(400); // a holder (a reactive subscriber without demand) keeps it
        }
        assertThat(backlog.paused()).isTrue();
        // Ten stall times pass with no callback finishing: only held messages wait, so that is no stall.
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
            backlog.checkStall();
        }
        assertThat(backlog.paused()).isTrue();
        assertThat(sink.calls).containsExactly("pause");
        backlog.releaseHeld(400);
        assertThat(backlog.paused()).isTrue(); // 800 > the resume mark of 500
        backlog.releaseHeld(400);
        assertThat(backlog.paused()).isFalse();
        assertThat(backlog.bytes()).isEqualTo(400);
        assertThat(sink.calls).containsExactly("pause", "resume");
    }

    @Test
    void aCallbackStuckBesideHeldMessagesIsAStall() {
        InboundBacklog backlog = backlog(200, sink);
        backlog.queued(400);
        backlog.callbackReturned(400);
        backlog.queued(700); // its callback never returns
        assertThat(backlog.paused()).isTrue();
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
        backlog.checkStall();
        assertThat(backlog.paused()).isFalse();
        assertThat(sink.calls).containsExactly("pause", "resume");
    }

    @Test
    void aHeldReaderGoesOnWhenNoCallbackFinishes() throws InterruptedException {
        InboundBacklog backlog = backlog(100, new RecordingSink(false));
        Thread reader = heldReader(backlog, 1200);
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100)); // seen at the reader's next 25 ms wake-up
        assertReleased(reader, backlog);
    }

    @Test
    void holdsTheReaderOfATransportThatCannotPause() throws InterruptedException {
        InboundBacklog backlog = backlog(LONG_STALL, new RecordingSink(false));
        Thread reader = heldReader(backlog, 1200);
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.TIMED_WAITING);

        backlog.finished(700); // 500 left: at half the mark
        assertReleased(reader, backlog);
    }

    @Test
    void closingReleasesAHeldReader() throws InterruptedException {
        InboundBacklog backlog = backlog(LONG_STALL, new RecordingSink(false));
        Thread reader = heldReader(backlog, 5000);

        backlog.close();
        assertReleased(reader, backlog);
        backlog.queued(5000); // closed: never pauses again
        assertThat(backlog.paused()).isFalse();
    }

    @Test
    void aPauseNoTimerCouldEndIsUndoneAtOnce() {
        InboundBacklog backlog = backlog(LONG_STALL, sink);
        timer.shutdownNow(); // the client is closing
        backlog.queued(1500);
        assertThat(sink.calls).containsExactly("pause", "resume");
        assertThat(backlog.paused()).isFalse();
    }

    @Test
    void aMessageCountsItsBodyAndAFixedOverhead() {
        Frame message = new Frame("MESSAGE", Map.of(), new byte[100]);
        assertThat(InboundBacklog.weight(message)).isEqualTo(100 + InboundBacklog.OVERHEAD_BYTES);
    }

    /** A reader thread that handed on a message of this weight and now waits in the backlog. */
    private static Thread heldReader(InboundBacklog backlog, long weight) {
        Thread reader = new Thread(() -> backlog.queued(weight), "reader");
        reader.start();
        await().atMost(Duration.ofSeconds(5)).until(backlog::paused);
        return reader;
    }

    private static void assertReleased(Thread reader, InboundBacklog backlog) throws InterruptedException {
        reader.join(5000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(backlog.paused()).isFalse();
    }

    /** Records pause and resume; {@code canPause} false stands for WebSocket, which cannot. */
    private static final class RecordingSink implements FrameSink {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final boolean canPause;

        RecordingSink(boolean canPause) {
            this.canPause = canPause;
        }

        @Override
        public boolean pauseReading() {
            if (canPause) {
                calls.add("pause");
            }
            return canPause;
        }

        @Override
        public void resumeReading() {
            if (canPause) {
                calls.add("resume");
            }
        }

        @Override
        public void write(Frame frame) {
        }

        @Override
        public void writeHeartbeat() {
        }

        @Override
        public void close() {
        }
    }
}
