package dev.jstomp.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;

/**
 * The jstomp-only scenarios, run by {@link E2eRunner} in a child JVM against its broker so that heap,
 * threads and descriptors are the client's alone. Prints {@code RESULT name=value} lines (parsed by the
 * runner) and {@code SAMPLE} lines.
 *
 * <pre>
 * java -cp benchmarks.jar dev.jstomp.bench.e2e.Probe subscriptions URL LOGIN PASSCODE RUN COUNT
 * java -cp benchmarks.jar dev.jstomp.bench.e2e.Probe soak URL LOGIN PASSCODE RUN MESSAGES
 * </pre>
 */
public final class Probe {

    private Probe() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        Map<String, String> login = Map.of("login", args[2], "passcode", args[3]);
        String run = args[4];
        long count = Long.parseLong(args[5]);
        switch (mode) {
            case "subscriptions" -> subscriptions(url, login, run + "." + args[6], (int) count);
            case "soak" -> soak(url, login, run, count);
            case "subscriptions-raw" -> rawSubscriptions(url, args[2], args[3], run + "." + args[6], (int) count);
            default -> throw new IllegalArgumentException("mode: subscriptions or soak");
        }
        System.exit(0);
    }

    /**
     * N subscriptions on one connection: the time to make them (calls returned, then the broker's RECEIPT
     * for the last SUBSCRIBE, which it answers after all the earlier ones), heap per idle subscription
     * (used heap after full GCs, before and after), then one message to each, timed to the last delivery.
     */
    private static void subscriptions(String url, Map<String, String> login, String run, int count) throws Exception {
        // Heart-beats off for this scenario only: Artemis sends none while it works through 10,000 SUBSCRIBEs
        // (about 45 s here, from any client), and jstomp's watchdog would rightly call the connection dead.
        StompClient consumer = Stomp.client(url);
        consumer.receiptTimeout(java.time.Duration.ofSeconds(180));
        consumer.heartbeat().outgoing(0).incoming(0);
        consumer.connectAsync(login).get(20, TimeUnit.SECONDS);
        // Warm the path a little (class loading, JIT of the first calls) on another destination.
        for (int i = 0; i < 200; i++) {
            consumer.subscribe("/queue/subs-warm." + run + "." + i, m -> { }).unsubscribe();
        }
        long before = usedHeapAfterGc();
        CountDownLatch delivered = new CountDownLatch(count);
        long t0 = System.nanoTime();
        var lastReceipt = consumer.watchForReceipt("subs-" + run);
        for (int i = 0; i < count; i++) {
            Map<String, String> headers = i == count - 1 ? Map.of("receipt", "subs-" + run) : Map.of();
            consumer.subscribe(destination(run, i), m -> delivered.countDown(), headers);
        }
        long calls = System.nanoTime();
        StompFrame receipt = lastReceipt.get(180, TimeUnit.SECONDS);
        long confirmed = System.nanoTime();
        long after = usedHeapAfterGc();
        result("subscriptions", count);
        result("subscribe_calls_ms", ms(calls - t0));
        result("subscribe_confirmed_ms", ms(confirmed - t0));
        result("heap_before_bytes", before);
        result("heap_after_bytes", after);
        result("heap_per_subscription_bytes", (after - before) / count);
        result("receipt", receipt.command());

        StompClient producer = connect(url, login);
        long t1 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            producer.send(destination(run, i), Map.of(), "one");
        }
        boolean all = delivered.await(120, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        result("delivered", count - delivered.getCount());
        result("deliver_all_ms", all ? ms(t2 - t1) : "timeout");
        producer.close();
        consumer.close();
    }

    /**
     * The broker's share of the subscriptions scenario: the same N SUBSCRIBE frames (and one message to
     * each) written by a raw socket, pre-encoded and in large writes, timed the same way.
     */
    private static void rawSubscriptions(String url, String login, String passcode, String run, int count)
            throws Exception {
        java.net.URI uri = java.net.URI.create(url);
        BrokerAddress broker = new BrokerAddress(uri.getHost(), uri.getPort(), "", login, passcode);
        try (java.net.Socket consumer = new java.net.Socket(broker.host(), broker.port())) {
            RawFrameReader in = new RawFrameReader(consumer.getInputStream());
            var out = new java.io.BufferedOutputStream(consumer.getOutputStream(), 1 << 16);
            out.write(RawFrames.connect(broker));
            out.flush();
            in.next();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String receipt = i == count - 1 ? "receipt:raw-subs\n" : "";
                out.write(("SUBSCRIBE\nid:" + i + "\ndestination:" + destination(run, i) + "\nack:auto\n" + receipt
                        + "\n\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            out.flush();
            long calls = System.nanoTime();
            char c;
            while ((c = in.next()) != 'R') {
                if (c == 'E') {
                    throw new IllegalStateException("ERROR from the broker");
                }
            }
            long confirmed = System.nanoTime();
            result("subscriptions", count);
            result("subscribe_calls_ms", ms(calls - t0));
            result("subscribe_confirmed_ms", ms(confirmed - t0));
            // Connected only now: Artemis drops a connection that has not sent CONNECT within 10 s.
            java.net.Socket producer = new java.net.Socket(broker.host(), broker.port());
            var pout = new java.io.BufferedOutputStream(producer.getOutputStream(), 1 << 16);
            pout.write(RawFrames.connect(broker));
            pout.flush();
            new RawFrameReader(producer.getInputStream()).next();
            long t1 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                pout.write(RawFrames.send(destination(run, i), "one".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            pout.flush();
            int delivered = 0;
            while (delivered < count) {
                if (in.next() == 'M') {
                    delivered++;
                }
            }
            result("delivered", delivered);
            result("deliver_all_ms", ms(System.nanoTime() - t1));
            producer.close();
        }
    }

    private static String destination(String run, int i) {
        return "/queue/subs." + run + "." + i;
    }

    /**
     * N messages through one subscription, at most 10,000 in flight (so what is measured is the client at
     * a steady rate, not an unbounded queue of unsent frames): heap after GC, threads and descriptors
     * sampled at the start (after a 50,000-message warm-up) and at every tenth, and the rate.
     */
    private static void soak(String url, Map<String, String> login, String run, long count) throws Exception {
        String destination = "/queue/soak." + run;
        Semaphore window = new Semaphore(10_000);
        AtomicLong received = new AtomicLong();
        StompClient consumer = connect(url, login);
        consumer.subscribe(destination, m -> {
            received.incrementAndGet();
            window.release();
        });
        StompClient producer = connect(url, login);
        byte[] body = new byte[128];
        Arrays.fill(body, (byte) 'x');
        long warm = 50_000;
        pump(producer, destination, body, warm, window, received, warm);
        sample("start", 0, received.get());
        long t0 = System.nanoTime();
        long step = Math.max(1, count / 10);
        for (long done = 0; done < count; done += step) {
            long batch = Math.min(step, count - done);
            pump(producer, destination, body, batch, window, received, warm + done + batch);
            sample(done + batch == count ? "end" : "mid", done + batch, received.get());
        }
        long t1 = System.nanoTime();
        result("messages", count);
        result("msgs_per_s", String.format(Locale.ROOT, "%.0f", count / ((t1 - t0) / 1e9)));
        producer.close();
        consumer.close();
    }

    private static void pump(StompClient producer, String destination, byte[] body, long n, Semaphore window,
            AtomicLong received, long expectedTotal) throws InterruptedException {
        for (long i = 0; i < n; i++) {
            if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("stalled: " + received.get() + " received");
            }
            producer.send(destination, Map.of(), body);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.get() < expectedTotal && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void sample(String label, long sent, long received) {
        long heap = usedHeapAfterGc();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long fds = openDescriptors();
        System.out.printf(Locale.ROOT, "SAMPLE %s sent=%d received=%d heap_after_gc=%d threads=%d fds=%d%n",
                label, sent, received, heap, threads, fds);
        if (!label.equals("mid")) {
            result(label + "_heap_after_gc_bytes", heap);
            result(label + "_threads", threads);
            result(label + "_fds", fds);
        }
    }

    private static StompClient connect(String url, Map<String, String> login) throws Exception {
        StompClient client = Stomp.client(url);
        // The scenario times how long the broker takes to confirm; do not give up at the default 5 s.
        client.receiptTimeout(java.time.Duration.ofSeconds(120));
        client.connectAsync(login).get(20, TimeUnit.SECONDS);
        return client;
    }

    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static long openDescriptors() {
        Path fd = Paths.get("/proc/self/fd");
        try (Stream<Path> entries = Files.list(fd)) {
            return entries.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static void result(String name, Object value) {
        System.out.println("RESULT " + name + "=" + value);
    }
}
