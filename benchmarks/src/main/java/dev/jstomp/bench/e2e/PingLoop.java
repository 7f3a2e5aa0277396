package dev.jstomp.bench.e2e;

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/** The round trip both runners time: one message in flight, warm-up pings first, then the timed ones. */
final class PingLoop {

    /** Hears each timed ping: when it was sent and when it came back ({@link System#nanoTime()}). */
    interface Sample {
        void record(long sentNanos, long receivedNanos);
    }

    private PingLoop() {
    }

    /**
     * @param warmedUp run once, just before the first timed ping
     * @param sample told of every timed ping, or null
     * @return the round-trip times of the timed pings, in nanoseconds, in the order sent
     */
    static long[] run(Workload workload, Inbox inbox, byte[] body, int warmup, int pings, Runnable warmedUp,
            @Nullable Sample sample) throws Exception {
        long[] rtt = new long[pings];
        for (int i = 0; i < warmup + pings; i++) {
            if (i == warmup) {
                warmedUp.run();
            }
            inbox.expect(inbox.count() + 1);
            long t0 = System.nanoTime();
            workload.send(body);
            workload.flush();
            long t = inbox.await(10, TimeUnit.SECONDS);
            if (t < 0) {
                throw new IllegalStateException("ping " + i + " not received within 10 s");
            }
            if (i >= warmup) {
                rtt[i - warmup] = t - t0;
                if (sample != null) {
                    sample.record(t0, t);
                }
            }
        }
        return rtt;
    }
}
