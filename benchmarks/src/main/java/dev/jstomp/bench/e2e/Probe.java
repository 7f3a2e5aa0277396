package dev.jstomp.bench.e2e;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;

/**
 * The jstomp-only scenarios, run by {@link E2eRunner} in a child JVM against its broker so that heap,
 * threads and descriptors are the client's alone. Prints {@code RESULT name=value} lines (parsed by the
 * runner) and {@code SAMPLE} lines.
 *
 * <pre>
 * java -cp benchmarks.jar dev.jstomp.bench.e2e.Probe subscriptions     URL LOGIN PASSCODE RUN COUNT SET [SCENARIO [C]]
 * java -cp benchmarks.jar dev.jstomp.bench.e2e.Probe subscriptions-raw URL LOGIN PASSCODE RUN COUNT SET [SCENARIO [C]]
 * java -cp benchmarks.jar dev.jstomp.bench.e2e.Probe soak URL LOGIN PASSCODE RUN MESSAGES
 * </pre>
 *
 * <p>SCENARIO is a {@link SubscriptionScenario} label ({@code queues}, the default, {@code topics},
 * {@code one-topic}); C (default 1) splits the subscriptions over that many connections. For
 * {@code queues} the runner creates the queues {@code subs.RUN.SET.i} beforehand in its embedded Artemis, so
 * that their creation is not timed; any other broker (or scenario) creates what it needs on SUBSCRIBE.
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
            case "subscriptions", "subscriptions-raw" -> {
                String set = run + "." + args[6];
                SubscriptionScenario scenario = SubscriptionScenario.of(args.length > 7 ? args[7] : "queues");
                int connections = args.length > 8 ? Integer.parseInt(args[8]) : 1;
                result("scenario", scenario.label());
                if (mode.equals("subscriptions")) {
                    subscriptions(url, login, set, (int) count, scenario, connections);
                } else {
                    rawSubscriptions(url, args[2], args[3], set, (int) count, scenario, connections);
                }
            }
            case "soak" -> soak(url, login, run, count);
            default -> throw new IllegalArgumentException("mode: subscriptions, subscriptions-raw or soak");
        }
        System.exit(0);
    }

    /**
     * N subscriptions on C connections (C = 1 is what issue #7 asks): the time to make them (calls returned,
     * then the broker's RECEIPT for the last SUBSCRIBE of each connection, which it answers after all the
     * earlier ones of that connection; with C = 1 also a RECEIPT at every tenth, to show how the time grows),
     * heap per idle subscription (used heap after full GCs, before and after, the connections already open),
     * then one message to each subscription, timed to the last callback.
     */
    private static void subscriptions(String url, Map<String, String> login, String set, int count,
            SubscriptionScenario scenario, int connections) throws Exception {
        StompClient[] consumers = new StompClient[connections];
        for (int c = 0; c < connections; c++) {
            StompClient consumer = Stomp.client(url);
            consumer.receiptTimeout(Duration.ofSeconds(180));
            // Heart-beats off for this scenario only: Artemis's I/O thread for the connection is busy with the
            // SUBSCRIBE backlog (tens of seconds for 10,000 on one connection) and sends nothing meanwhile, so
            // jstomp's watchdog would rightly call the connection dead.
            consumer.heartbeat().outgoing(0).incoming(0);
            consumer.connectAsync(login).get(20, TimeUnit.SECONDS);
            consumers[c] = consumer;
        }
        // Warm the path a little (class loading, JIT of the first calls) on another destination.
        for (int i = 0; i < 200; i++) {
            consumers[0].subscribe("/queue/subs-warm." + set + "." + i, m -> { }).unsubscribe();
        }
        // The probe's own bookkeeping is allocated before the first heap reading, so it is not counted.
        CountDownLatch delivered = new CountDownLatch(count);
        Marks marks = new Marks(count, connections);
        long[] confirmedAt = new long[count];
        List<CompletableFuture<?>> receipts = new ArrayList<>();
        long before = usedHeapAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            StompClient consumer = consumers[marks.connectionOf(i)];
            Map<String, String> headers = Map.of();
            if (marks.marked(i)) {
                int index = i;
                receipts.add(consumer.watchForReceipt("subs-" + i)
                        .thenRun(() -> confirmedAt[index] = System.nanoTime()));
                headers = Map.of("receipt", "subs-" + i);
            }
            consumer.subscribe(scenario.destination(set, i), m -> delivered.countDown(), headers);
        }
        long calls = System.nanoTime();
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
        long after = usedHeapAfterGc();
        subscribeResults(marks, confirmedAt, t0, calls);
        result("heap_before_bytes", before);
        result("heap_after_bytes", after);
        result("heap_per_subscription_bytes", (after - before) / count);

        StompClient producer = connect(url, login);
        long t1 = System.nanoTime();
        for (int i = 0; i < scenario.sends(count); i++) {
            producer.send(scenario.destination(set, i), Map.of(), "one");
        }
        boolean all = delivered.await(120, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        result("sends", scenario.sends(count));
        result("delivered", count - delivered.getCount());
        result("deliver_all_ms", all ? ms(t2 - t1) : "timeout");
        producer.close();
        for (StompClient consumer : consumers) {
            consumer.close();
        }
    }

    /**
     * The broker's share of the subscriptions scenario: the same N SUBSCRIBE frames (same receipts, same
     * connections) written by raw sockets, pre-encoded and in large writes, and one message to each, timed
     * the same way. One reader thread per socket timestamps the RECEIPTs and counts the MESSAGEs.
     */
    private static void rawSubscriptions(String url, String login, String passcode, String set, int count,
            SubscriptionScenario scenario, int connections) throws Exception {
        URI uri = URI.create(url);
        BrokerAddress broker = new BrokerAddress(uri.getHost(), uri.getPort(), "", login, passcode);
        Marks marks = new Marks(count, connections);
        long[] confirmedAt = new long[count];
        CountDownLatch confirmed = new CountDownLatch(marks.count());
        CountDownLatch delivered = new CountDownLatch(count);
        Socket[] sockets = new Socket[connections];
        BufferedOutputStream[] outs = new BufferedOutputStream[connections];
        try {
            for (int c = 0; c < connections; c++) {
                sockets[c] = new Socket(broker.host(), broker.port());
                RawFrameReader in = new RawFrameReader(sockets[c].getInputStream());
                outs[c] = new BufferedOutputStream(sockets[c].getOutputStream(), 1 << 16);
                outs[c].write(RawFrames.connect(broker));
                outs[c].flush();
                in.next();
                int connection = c;
                Thread reader = new Thread(() -> readSubscriptionFrames(in, marks, connection, confirmedAt, confirmed,
                        delivered), "raw-subs-reader-" + c);
                reader.setDaemon(true);
                reader.start();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String receipt = marks.marked(i) ? "receipt:subs-" + i + "\n" : "";
                String frame = "SUBSCRIBE\nid:" + i + "\ndestination:" + scenario.destination(set, i) + "\nack:auto\n"
                        + receipt + "\n\0";
                outs[marks.connectionOf(i)].write(frame.getBytes(StandardCharsets.UTF_8));
            }
            for (BufferedOutputStream out : outs) {
                out.flush();
            }
            long calls = System.nanoTime();
            if (!confirmed.await(180, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not all RECEIPTs within 180 s");
            }
            subscribeResults(marks, confirmedAt, t0, calls);
            // Connected only now: Artemis drops a connection that has not sent CONNECT within 10 s.
            try (Socket producer = new Socket(broker.host(), broker.port())) {
                var pout = new BufferedOutputStream(producer.getOutputStream(), 1 << 16);
                pout.write(RawFrames.connect(broker));
                pout.flush();
                new RawFrameReader(producer.getInputStream()).next();
                long t1 = System.nanoTime();
                for (int i = 0; i < scenario.sends(count); i++) {
                    pout.write(RawFrames.send(scenario.destination(set, i), "one".getBytes(StandardCharsets.UTF_8)));
                }
                pout.flush();
                boolean all = delivered.await(120, TimeUnit.SECONDS);
                long t2 = System.nanoTime();
                result("sends", scenario.sends(count));
                result("delivered", count - delivered.getCount());
                result("deliver_all_ms", all ? ms(t2 - t1) : "timeout");
            }
        } finally {
            for (Socket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static void readSubscriptionFrames(RawFrameReader in, Marks marks, int connection, long[] confirmedAt,
            CountDownLatch confirmed, CountDownLatch delivered) {
        int[] mine = marks.onConnection(connection);
        int receipts = 0;
        try {
            while (true) {
                switch (in.next()) {
                    case 'R' -> { // a broker answers a connection's frames in order
                        confirmedAt[mine[receipts++]] = System.nanoTime();
                        confirmed.countDown();
                    }
                    case 'M' -> delivered.countDown();
                    case 'E' -> throw new IllegalStateException("ERROR from the broker on connection " + connection);
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (confirmed.getCount() > 0 || delivered.getCount() > 0) {
                // Fail the run now rather than at the main thread's timeout.
                System.err.println("raw-subs-reader-" + connection + ": " + e);
                System.exit(1);
            }
        }
    }

    private static void subscribeResults(Marks marks, long[] confirmedAt, long t0, long calls) {
        long last = 0;
        for (int i : marks.all()) {
            last = Math.max(last, confirmedAt[i]);
            if (marks.connections() == 1 && i != marks.total() - 1) {
                result("subscribe_confirmed_ms_at_" + (i + 1), ms(confirmedAt[i] - t0));
            }
        }
        result("subscriptions", marks.total());
        result("connections", marks.connections());
        result("subscribe_calls_ms", ms(calls - t0));
        result("subscribe_confirmed_ms", ms(last - t0));
    }

    /**
     * Which connection each of N subscriptions goes to (consecutive blocks of N/C), and which SUBSCRIBEs ask
     * for a RECEIPT: the last of each connection, and with one connection also every tenth.
     */
    private record Marks(int total, int connections) {

        int connectionOf(int i) {
            return (int) ((long) i * connections / total);
        }

        boolean marked(int i) {
            boolean lastOfConnection = i == total - 1 || connectionOf(i + 1) != connectionOf(i);
            return lastOfConnection || (connections == 1 && total >= 10 && (i + 1) % (total / 10) == 0);
        }

        int[] all() {
            return java.util.stream.IntStream.range(0, total).filter(this::marked).toArray();
        }

        int[] onConnection(int c) {
            return java.util.stream.IntStream.range(0, total).filter(i -> marked(i) && connectionOf(i) == c).toArray();
        }

        int count() {
            return all().length;
        }
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
        client.receiptTimeout(Duration.ofSeconds(120));
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
