package dev.jstomp.cli;

/**
 * When each of a producer's messages is due: on a fixed schedule ({@code start + i / rate}) with a rate, at
 * once without one. A producer that falls behind sends the late messages at once, without skipping any and
 * without moving the schedule, so that latency counted from the due time (intended send time) includes the
 * delay: the correction for coordinated omission that Artemis's {@code perf} and wrk2 make.
 */
final class RateSchedule {

    /** Time as the schedule sees it; {@link #SYSTEM} in use, a hand-moved clock in tests. */
    interface Clock {

        /** Monotonic nanoseconds. */
        long nanoTime();

        /** Waits about this long (may return early). */
        void parkNanos(long nanos);
    }

    /** {@link System#nanoTime()} and {@link java.util.concurrent.locks.LockSupport#parkNanos(long)}. */
    static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkNanos(long nanos) {
            java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        }
    };

    private final Clock clock;
    private final double periodNanos;
    private final long start;
    private long next;

    /**
     * @param perSecond messages a second; 0 for no limit
     * @param start when message 0 is due, on the clock's scale
     */
    RateSchedule(Clock clock, double perSecond, long start) {
        if (perSecond < 0 || Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("rate must be 0 (no limit) or more: " + perSecond);
        }
        this.clock = clock;
        this.periodNanos = perSecond == 0 ? 0 : 1e9 / perSecond;
        this.start = start;
    }

    /** True when messages are paced. */
    boolean limited() {
        return periodNanos > 0;
    }

    /** When message {@code i} (from 0) is due. */
    long due(long i) {
        return start + (long) (i * periodNanos);
    }

    /** How many messages have been handed out by {@link #awaitNext()}. */
    long issued() {
        return next;
    }

    /**
     * Waits until the next message is due (not at all when behind schedule or without a rate).
     *
     * @return its due time; without a rate, the time now
     */
    long awaitNext() {
        if (periodNanos == 0) {
            next++;
            return clock.nanoTime();
        }
        long due = due(next++);
        for (long now = clock.nanoTime(); now < due; now = clock.nanoTime()) {
            clock.parkNanos(due - now);
        }
        return due;
    }
}
