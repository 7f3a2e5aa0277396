package dev.jstomp.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompException;
import dev.jstomp.StompMessage;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jstomp bench [URL]}: one producer, C competing consumers on a fresh queue; throughput and
 * send-to-receive latency, with a progress bar on standard error while it runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure throughput and latency: one producer sends N messages to a fresh queue, C "
                + "consumers share them; prints msgs/s, MB/s and p50/p99/max latency (send to receive).",
            "At most --window messages are in flight, so latency is measured under a bounded load."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(arity = "0..1", paramLabel = "URL", description = "The broker; none for an embedded Artemis.")
    private @Nullable String url;

    @Option(names = {"-m", "--messages"}, paramLabel = "N", defaultValue = "10000", description = "Messages to send (default: ${DEFAULT-VALUE}).")
    private int messages;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "1024", description = "Body size in bytes (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = {"-c", "--consumers"}, paramLabel = "C", defaultValue = "1", description = "Consumers sharing the queue (default: ${DEFAULT-VALUE}).")
    private int consumers;

    @Option(names = "--window", paramLabel = "N", defaultValue = "1000", description = "Most messages in flight (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--destination", paramLabel = "DEST", description = "Where to send (default: a new /queue/jstomp-bench.RUN).")
    private @Nullable String destination;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lastReceive = new AtomicLong();
    private CountDownLatch done = new CountDownLatch(0);

    @Override
    public Integer call() throws InterruptedException {
        if (messages < 1 || size < 0 || consumers < 1 || window < 1) {
            throw CliException.usage("--messages, --consumers and --window must be at least 1, --size at least 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String dest = destination != null ? destination : "/queue/jstomp-bench." + RunId.next();
        done = new CountDownLatch(messages);
        AtomicLongArray sentAt = new AtomicLongArray(messages);
        long[] latencies = new long[messages];
        Semaphore inFlight = new Semaphore(window);
        List<Session> sessions = new ArrayList<>();
        try (BrokerTarget target = BrokerTarget.resolve(url, out)) {
            Connector connector = connection.connector(target, err);
            try {
                for (int i = 1; i <= consumers; i++) {
                    Session consumer = connector.session("consumer-" + i).open();
                    sessions.add(consumer);
                    subscribe(consumer, dest, sentAt, latencies, inFlight);
                }
                Session producer = connector.session("producer").open();
                sessions.add(producer);
                out.println("Sending " + Texts.plural(messages, "message") + " of " + Texts.plural(size, "byte") + " to "
                        + dest + " on " + producer.url() + " (" + producer.kind().label() + "), "
                        + Texts.plural(consumers, "consumer") + ", window " + Texts.count(window));
                out.flush();
                long elapsed = run(producer, dest, sentAt, inFlight, err);
                report(out, elapsed, latencies);
            } finally {
                sessions.forEach(Session::close);
            }
        }
        return Exit.OK;
    }

    private void subscribe(Session consumer, String dest, AtomicLongArray sentAt, long[] latencies, Semaphore inFlight) {
        try {
            consumer.client().subscribe(dest, message -> {
                long now = System.nanoTime();
                int seq = sequence(message);
                if (seq >= 0 && seq < latencies.length) {
                    latencies[seq] = now - sentAt.get(seq);
                }
                lastReceive.set(now);
                received.incrementAndGet();
                inFlight.release();
                done.countDown();
            }, connection.headers());
        } catch (StompException e) {
            throw consumer.explain(e);
        }
    }

    /** Sends everything from a producer thread while this thread shows progress; returns nanoseconds taken. */
    private long run(Session producer, String dest, AtomicLongArray sentAt, Semaphore inFlight, PrintWriter err)
            throws InterruptedException {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        Map<String, String> headers = connection.headers();
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    if (!inFlight.tryAcquire(connection.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                        return; // the progress loop reports the stall
                    }
                    var frameHeaders = new java.util.LinkedHashMap<>(headers);
                    frameHeaders.put("x-jstomp-seq", Integer.toString(i));
                    sentAt.set(i, System.nanoTime());
                    producer.client().send(dest, frameHeaders, body);
                    sent.incrementAndGet();
                }
            } catch (InterruptedException | StompException e) {
                // the progress loop notices that nothing moves and says so
            }
        }, "jstomp-bench-producer");
        sender.setDaemon(true);
        sender.start();
        try (ProgressBar bar = BenchProgress.bar(messages, err)) {
            long lastCount = -1;
            long lastChange = System.nanoTime();
            // Wakes at once when the last message is in, and every 100 ms to move the bar.
            while (!done.await(100, TimeUnit.MILLISECONDS)) {
                long count = received.get();
                bar.stepTo(count);
                if (count != lastCount) {
                    lastCount = count;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > connection.timeout().toNanos()) {
                    sender.interrupt();
                    if (producer.failure() != null) {
                        throw producer.failed(producer.failure());
                    }
                    throw new CliException("stalled: " + Texts.count(count) + " of " + Texts.count(messages)
                            + " messages received (" + Texts.count(sent.get()) + " sent), nothing new for "
                            + Texts.duration(connection.timeout()));
                }
            }
            bar.stepTo(messages);
        }
        return lastReceive.get() - start;
    }

    private void report(PrintWriter out, long elapsedNanos, long[] latencies) {
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        double perSecond = messages / seconds;
        double megabytes = (double) messages * size / 1e6 / seconds;
        LatencyStats stats = new LatencyStats(latencies);
        out.println(String.format(Locale.ROOT, "Throughput: %,.0f msgs/s, %.1f MB/s (%s in %.2f s)",
                perSecond, megabytes, Texts.plural(messages, "message"), seconds));
        out.println("Latency (send to receive): p50 " + LatencyStats.millis(stats.percentile(50)) + ", p99 "
                + LatencyStats.millis(stats.percentile(99)) + ", max " + LatencyStats.millis(stats.max()));
        out.flush();
    }

    private static int sequence(StompMessage message) {
        String seq = message.header("x-jstomp-seq");
        try {
            return seq == null ? -1 : Integer.parseInt(seq);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
