package dev.jstomp.cli;

import java.util.Arrays;

/** Percentiles of recorded latencies (nearest-rank on a sorted copy; fine for a few million samples). */
final class LatencyStats {

    private final long[] sorted;

    /** @param nanos the samples, in nanoseconds; not changed */
    LatencyStats(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /**
     * The nearest-rank percentile.
     *
     * @param p between 0 (exclusive) and 100
     * @return nanoseconds; 0 without samples
     */
    long percentile(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    /** "1.23 ms". */
    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
