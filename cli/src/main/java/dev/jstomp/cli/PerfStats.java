package dev.jstomp.cli;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * What {@code jstomp perf} counts and measures. Producers and consumers record from their own threads
 * (HdrHistogram {@link Recorder}s, lock-free); once a second {@link #tick} takes the interval's histograms,
 * keeps one {@link Interval} for the live line and the report, adds them to the run's totals (after the
 * warm-up) and appends them to the HdrHistogram log. Latencies are in microseconds.
 */
final class PerfStats {

    /** The tag of send-to-receive histograms in the HdrHistogram log. */
    static final String LATENCY_TAG = "latency";
    /** The tag of latencies from the intended send time (with {@code --rate}). */
    static final String INTENDED_TAG = "intended";

    /** One second of the run: rates, latency percentiles (microseconds), messages in flight, connections up. */
    record Interval(double seconds, double sentPerSecond, double receivedPerSecond, long p50, long p90, long p99,
            long p999, long max, long inFlight, int connectionsUp, boolean warmup) {
    }

    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    /** Messages the consumers should get for what was sent (a topic's message counts once per subscriber). */
    final LongAdder expected = new LongAdder();
    final LongAdder receipts = new LongAdder();
    final AtomicLong unconfirmed = new AtomicLong();
    final LongAdder errors = new LongAdder();

    private final Recorder latency = new Recorder(3);
    private final Recorder intended = new Recorder(3);
    private final boolean paced;
    private final Histogram totalLatency = new Histogram(3);
    private final Histogram totalIntended = new Histogram(3);
    private final List<Interval> intervals = new ArrayList<>();
    private final @Nullable HistogramLogWriter log;
    private @Nullable Histogram latencyInterval;
    private @Nullable Histogram intendedInterval;
    private long lastTick;
    private long lastSent;
    private long lastReceived;
    private long measuredFrom;
    private long sentAtMeasureStart;
    private long receivedAtMeasureStart;
    private long expectedAtMeasureStart;
    private long lastReceiveNanos;
    private long cpuAtMeasureStart = -1;

    /**
     * @param paced whether messages are sent on a schedule (then latency from the intended time is kept too)
     * @param hdrLog where to write the HdrHistogram log, or null
     * @param start the run's start, {@link System#nanoTime()}
     */
    PerfStats(boolean paced, @Nullable File hdrLog, long start) {
        this.paced = paced;
        this.lastTick = start;
        this.measuredFrom = start;
        if (hdrLog == null) {
            log = null;
        } else {
            try {
                log = new HistogramLogWriter(hdrLog);
            } catch (FileNotFoundException e) {
                throw CliException.usage("--hdr: cannot write " + hdrLog + ": " + e.getMessage());
            }
            long now = System.currentTimeMillis();
            log.outputComment("jstomp perf: latency in microseconds; tag " + LATENCY_TAG + " = send to receive"
                    + (paced ? ", tag " + INTENDED_TAG + " = from the intended send time (corrected for coordinated omission)" : ""));
            log.outputLogFormatVersion();
            log.outputStartTime(now);
            log.setBaseTime(now);
            log.outputLegend();
        }
    }

    /** A consumer got a message sent at {@code sentNanos}, due at {@code dueNanos}. */
    void received(long sentNanos, long dueNanos, long nowNanos) {
        latency.recordValue(Math.max(0, (nowNanos - sentNanos) / 1_000));
        if (paced) {
            intended.recordValue(Math.max(0, (nowNanos - dueNanos) / 1_000));
        }
        received.increment();
        lastReceiveNanos = nowNanos; // a race between consumers only blurs the end by one message
    }

    long lastReceiveNanos() {
        return lastReceiveNanos;
    }

    /** Messages sent and not yet received (a topic's once per subscriber). */
    long inFlight() {
        return Math.max(0, expected.sum() - received.sum());
    }

    /**
     * Closes one interval.
     *
     * @param now {@link System#nanoTime()}
     * @param warmup whether the interval belongs to the warm-up (not in the totals)
     * @param connectionsUp connections connected now
     */
    synchronized Interval tick(long now, boolean warmup, int connectionsUp) {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        double seconds = Math.max(1, now - lastTick) / 1e9;
        long sentNow = sent.sum();
        long receivedNow = received.sum();
        Histogram h = latencyInterval;
        Interval interval = new Interval(0, (sentNow - lastSent) / seconds, (receivedNow - lastReceived) / seconds,
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), inFlight(), connectionsUp, warmup);
        if (paced) {
            intendedInterval = intended.getIntervalHistogram(intendedInterval);
        }
        if (!warmup) {
            totalLatency.add(latencyInterval);
            if (paced) {
                totalIntended.add(intendedInterval);
            }
        }
        if (log != null) {
            latencyInterval.setTag(LATENCY_TAG);
            log.outputIntervalHistogram(latencyInterval);
            if (paced) {
                intendedInterval.setTag(INTENDED_TAG);
                log.outputIntervalHistogram(intendedInterval);
            }
        }
        lastTick = now;
        lastSent = sentNow;
        lastReceived = receivedNow;
        return interval;
    }

    /** Keeps an interval for the report, with its time since the start of the run. */
    synchronized void keep(Interval interval, double secondsSinceStart) {
        intervals.add(new Interval(secondsSinceStart, interval.sentPerSecond(), interval.receivedPerSecond(),
                interval.p50(), interval.p90(), interval.p99(), interval.p999(), interval.max(), interval.inFlight(),
                interval.connectionsUp(), interval.warmup()));
    }

    /** Starts the measured part of the run: totals and rates count from here. */
    synchronized void measureFrom(long now) {
        measuredFrom = now;
        lastTick = now;
        cpuAtMeasureStart = processCpuNanos();
        sentAtMeasureStart = sent.sum();
        receivedAtMeasureStart = received.sum();
        expectedAtMeasureStart = expected.sum();
    }

    /** CPU time of this JVM (every thread) since {@link #measureFrom}, in nanoseconds; -1 when the JVM cannot tell. */
    synchronized long cpuNanosMeasured() {
        long now = processCpuNanos();
        return now < 0 || cpuAtMeasureStart < 0 ? -1 : now - cpuAtMeasureStart;
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    synchronized long expectedMeasured() {
        return expected.sum() - expectedAtMeasureStart;
    }

    /** Messages sent in the warm-up. */
    synchronized long sentInWarmup() {
        return sentAtMeasureStart;
    }

    synchronized long measuredFrom() {
        return measuredFrom;
    }

    synchronized long sentMeasured() {
        return sent.sum() - sentAtMeasureStart;
    }

    synchronized long receivedMeasured() {
        return received.sum() - receivedAtMeasureStart;
    }

    synchronized Histogram totalLatency() {
        return totalLatency;
    }

    /** Latency from the intended send time, or null without {@code --rate}. */
    synchronized @Nullable Histogram totalIntended() {
        return paced ? totalIntended : null;
    }

    synchronized List<Interval> intervals() {
        return List.copyOf(intervals);
    }

    void closeLog() {
        if (log != null) {
            log.close();
        }
    }
}
