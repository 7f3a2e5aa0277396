package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RateScheduleTest {

    /** A clock that moves only when waited on (by exactly what was asked) or by hand. */
    static class HandClock implements RateSchedule.Clock {
        long now;
        final List<Long> parks = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkNanos(long nanos) {
            parks.add(nanos);
            now += nanos;
        }
    }

    @Test
    void messagesAreDueOnAFixedScheduleAndTheProducerWaitsForEach() {
        HandClock clock = new HandClock();
        clock.now = 1_000;
        RateSchedule schedule = new RateSchedule(clock, 10_000, 1_000); // one every 100 us
        assertThat(schedule.limited()).isTrue();
        List<Long> due = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            due.add(schedule.awaitNext());
        }
        assertThat(due).containsExactly(1_000L, 101_000L, 201_000L, 301_000L, 401_000L);
        assertThat(clock.parks).containsExactly(100_000L, 100_000L, 100_000L, 100_000L);
        assertThat(schedule.issued()).isEqualTo(5);
    }

    @Test
    void aLateProducerCatchesUpWithoutSkippingAndWithoutMovingTheSchedule() {
        HandClock clock = new HandClock();
        RateSchedule schedule = new RateSchedule(clock, 1_000, 0); // one a millisecond
        assertThat(schedule.awaitNext()).isZero();
        clock.now = 3_500_000; // a 3.5 ms stall (a GC pause, a full socket buffer)
        // The three messages that fell due meanwhile go at once, keeping their due times (the intended send
        // times latency is corrected with); then the schedule resumes where it was.
        assertThat(schedule.awaitNext()).isEqualTo(1_000_000);
        assertThat(schedule.awaitNext()).isEqualTo(2_000_000);
        assertThat(schedule.awaitNext()).isEqualTo(3_000_000);
        assertThat(clock.parks).isEmpty();
        assertThat(schedule.awaitNext()).isEqualTo(4_000_000);
        assertThat(clock.parks).containsExactly(500_000L);
    }

    @Test
    void anEarlyWakeUpWaitsAgain() {
        HandClock clock = new HandClock() {
            @Override
            public void parkNanos(long nanos) {
                parks.add(nanos);
                now += Math.max(1, nanos / 2); // parkNanos may return early
            }
        };
        RateSchedule schedule = new RateSchedule(clock, 1_000, 0);
        schedule.awaitNext();
        assertThat(schedule.awaitNext()).isEqualTo(1_000_000);
        assertThat(clock.now).isGreaterThanOrEqualTo(1_000_000);
        assertThat(clock.parks).hasSizeGreaterThan(1);
    }

    @Test
    void aFractionalRateKeepsItsAverage() {
        HandClock clock = new HandClock();
        RateSchedule schedule = new RateSchedule(clock, 3, 0); // 333,333,333.3 ns apart
        long last = 0;
        for (int i = 0; i <= 300; i++) {
            last = schedule.awaitNext();
        }
        assertThat(last).isEqualTo(100_000_000_000L); // 300 periods = 100 s exactly, no drift from rounding
    }

    @Test
    void withoutARateNothingWaits() {
        HandClock clock = new HandClock();
        RateSchedule schedule = new RateSchedule(clock, 0, 0);
        assertThat(schedule.limited()).isFalse();
        clock.now = 42;
        assertThat(schedule.awaitNext()).isEqualTo(42);
        assertThat(schedule.awaitNext()).isEqualTo(42);
        assertThat(clock.parks).isEmpty();
        assertThatThrownBy(() -> new RateSchedule(clock, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
