package dev.jstomp.bench.e2e;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.Subscription;

/**
 * Where one jstomp round trip spends its time, through the public {@link StompObserver} hooks, for the
 * round-trip mode with one message in flight (so one slot per stage is enough): the send call queues the SEND
 * ({@code sending}, the caller's thread), the writer hands it to the transport ({@code frameWritten}), the
 * consumer's I/O thread reads the MESSAGE ({@code frameRead}), its callback thread starts the callback
 * ({@code deliver}). The stages are: writer (queued to written), network (written to read: the socket or
 * Tyrus's send pipeline, the broker, the consumer's read), callback hop (read to deliver).
 */
final class PingStages implements StompObserver {

    private volatile long queued;
    private volatile long written;
    private volatile long read;
    private volatile long delivered;

    private final long[][] stages;
    private int count;

    PingStages(int pings) {
        stages = new long[4][pings];
    }

    @Override
    public Sending sending(StompFrame send, Map<String, String> addHeaders) {
        queued = System.nanoTime();
        return null;
    }

    @Override
    public void frameWritten(StompFrame frame, int bodyBytes) {
        if ("SEND".equals(frame.command())) {
            written = System.nanoTime();
        }
    }

    @Override
    public void frameRead(StompFrame frame, int bodyBytes) {
        if ("MESSAGE".equals(frame.command())) {
            read = System.nanoTime();
        }
    }

    @Override
    public void deliver(Subscription subscription, StompMessage message, Consumer<StompMessage> callback) {
        delivered = System.nanoTime();
        callback.accept(message);
    }

    /** Records the ping that started at {@code t0} and whose callback counted it at {@code done}. */
    void record(long t0, long done) {
        stages[0][count] = written - queued;
        stages[1][count] = read - written;
        stages[2][count] = delivered - read;
        stages[3][count] = done - t0;
        count++;
    }

    /**
     * Prints, for the median ping and for the slowest 1% (by round trip), the mean of each stage in
     * microseconds: where the p99 is made.
     */
    void report() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(stages[3][a], stages[3][b]));
        int tail = Math.max(1, count / 100);
        String[] names = {"writer", "network", "callback_hop", "total"};
        for (int s = 0; s < names.length; s++) {
            double mid = 0;
            int midFrom = Math.max(0, count / 2 - tail / 2);
            for (int i = midFrom; i < midFrom + tail; i++) {
                mid += stages[s][order[i]];
            }
            double slow = 0;
            for (int i = count - tail; i < count; i++) {
                slow += stages[s][order[i]];
            }
            ClientMain.result("stage_mid_" + names[s] + "_us", String.format(Locale.ROOT, "%.1f", mid / tail / 1e3));
            ClientMain.result("stage_tail_" + names[s] + "_us", String.format(Locale.ROOT, "%.1f", slow / tail / 1e3));
        }
    }
}
