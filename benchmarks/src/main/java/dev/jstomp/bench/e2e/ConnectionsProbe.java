package dev.jstomp.bench.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.broker.EmbeddedArtemis;

/**
 * Many idle connections in one client JVM (issue #13): half over TCP, half over WebSocket, heart-beats of
 * 10 s, one subscription each to one topic, against an embedded Artemis in this (the parent) JVM. For each
 * count it starts a child JVM holding only the clients, which prints {@code RESULT} lines; the parent
 * prints a table. A probe, not a timed test.
 *
 * <pre>
 * java -Xmx3g -cp benchmarks.jar dev.jstomp.bench.e2e.ConnectionsProbe 10 1000 10000
 * </pre>
 *
 * Child JVM: {@code -Xmx1g}. Raise the file-descriptor limit first ({@code ulimit -n 30000}): each JVM
 * holds one descriptor per connection.
 */
public final class ConnectionsProbe {

    /** Connections opened at once; a service opening thousands would pace them too. */
    private static final int WAVE = 200;

    private ConnectionsProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("client")) {
            client(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]));
            return;
        }
        if (args.length > 0 && args[0].equals("flood-client")) {
            floodClient(args[1], args[2], args[3], Integer.parseInt(args[4]));
            return;
        }
        if (args.length > 0 && args[0].equals("flood")) {
            int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
            try (EmbeddedArtemis broker = new EmbeddedArtemis().start()) {
                for (String url : List.of("tcp://" + broker.tcpHost() + ":" + broker.port(), broker.wsUrl())) {
                    List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                            "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                            ConnectionsProbe.class.getName(), "flood-client", url, broker.user(), broker.password(),
                            Integer.toString(messages));
                    Process process = new ProcessBuilder(command).inheritIO().start();
                    System.out.println("flood " + url + ": exit " + process.waitFor());
                }
            }
            return;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        try (EmbeddedArtemis broker = new EmbeddedArtemis().start()) {
            for (String count : args.length == 0 ? new String[] {"10", "1000", "10000"} : args) {
                rows.add(child(broker, Integer.parseInt(count)));
            }
        }
        System.out.println();
        System.out.println("| connections (TCP + WS) | live threads | heap per connection TCP / WS | connect all | broadcast to all | close all |");
        System.out.println("|---|---|---|---|---|---|");
        for (Map<String, String> row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s / %s KiB | %s ms | %s ms | %s ms |%n", row.get("connections"),
                    row.get("threads"), row.get("heap_per_tcp_kib"), row.get("heap_per_ws_kib"), row.get("connect_ms"),
                    row.get("broadcast_ms"), row.get("close_ms"));
        }
    }

    private static Map<String, String> child(EmbeddedArtemis broker, int count) throws Exception {
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-Djstomp.probe.tcpShare=" + System.getProperty("jstomp.probe.tcpShare", "0.5"),
                "-Djstomp.probe.lookMillis=" + System.getProperty("jstomp.probe.lookMillis", "0"), "-cp", System.getProperty("java.class.path"), ConnectionsProbe.class.getName(),
                "client", "tcp://" + broker.tcpHost() + ":" + broker.port(), broker.wsUrl(), broker.user(),
                broker.password(), Integer.toString(count));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> results = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("  " + line);
                if (line.startsWith("RESULT ")) {
                    String[] kv = line.substring(7).split("=", 2);
                    results.put(kv[0], kv[1]);
                }
            }
        }
        process.waitFor(10, TimeUnit.MINUTES);
        return results;
    }

    /** The child: opens the connections, measures, broadcasts, closes. */
    private static void client(String tcpUrl, String wsUrl, String login, String passcode, int count) throws Exception {
        Map<String, String> headers = Map.of("login", login, "passcode", passcode);
        String topic = "/topic/probe-" + System.nanoTime();
        AtomicInteger received = new AtomicInteger();
        // -Djstomp.probe.tcpShare=1 makes every connection TCP (to break down the TCP heap alone).
        int tcpCount = (int) Math.round(count * Double.parseDouble(System.getProperty("jstomp.probe.tcpShare", "0.5")));
        // One connection of each kind first, kept open and not counted: the classes, pools and broker-side
        // set-up every later connection finds in place are not part of its cost.
        StompClient warmTcp = Stomp.client(tcpUrl);
        StompClient warmWs = Stomp.client(wsUrl);
        warmTcp.connectAsync(headers).get(30, TimeUnit.SECONDS);
        warmWs.connectAsync(headers).get(30, TimeUnit.SECONDS);
        long baseHeap = heapAfterGc();
        int baseThreads = liveThreads();
        pauseForALook("base");
        List<StompClient> clients = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int done = 0; done < count; done += WAVE) {
            List<CompletableFuture<?>> wave = new ArrayList<>();
            for (int i = done; i < Math.min(count, done + WAVE); i++) {
                StompClient client = Stomp.client(i < tcpCount ? tcpUrl : wsUrl);
                client.heartbeat().outgoing(10_000).incoming(10_000);
                clients.add(client);
                wave.add(client.connectAsync(headers).thenCompose(connected -> {
                    String receipt = "sub-" + System.nanoTime();
                    CompletableFuture<?> answer = client.watchForReceipt(receipt);
                    client.subscribe(topic, m -> received.incrementAndGet(), Map.of("receipt", receipt));
                    return answer;
                }));
            }
            CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        }
        long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Idle: the transient threads of the connect burst (handshakes, Tyrus's executor) time out. The pid is
        // for a look from outside meanwhile (jmap -histo:live, jstack).
        System.out.println("idle for 70 s, pid " + ProcessHandle.current().pid());
        Thread.sleep(70_000);
        int threads = liveThreads();
        result("thread_names", threadNames());
        long heapAll = heapAfterGc();

        start = System.nanoTime();
        clients.get(0).send(topic, Map.of(), "to all");
        while (received.get() < count && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
            Thread.sleep(1);
        }
        long broadcastMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // Heap per transport: close the WebSocket half first and measure what is left (the TCP half). Closes
        // run on many threads, as many owners closing their clients would (close waits for the DISCONNECT receipt).
        ExecutorService closers = Executors.newFixedThreadPool(64);
        start = System.nanoTime();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (StompClient client : clients.subList(tcpCount, count)) {
            closing.add(CompletableFuture.runAsync(client::close, closers));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long wsCloseNanos = System.nanoTime() - start;
        // What closed clients still hold while their owner keeps them, then the TCP half alone once it lets go.
        // Closed connections finish closing in the background (Tyrus waits up to 1 s for the broker's close):
        // measured at once, their buffers would count as the TCP half's.
        long heapTcpAndClosedWs = heapSettled();
        clients.subList(tcpCount, count).clear();
        long heapTcpOnly = heapSettled();
        pauseForALook("tcp only");
        start = System.nanoTime();
        closing.clear();
        for (StompClient client : clients.subList(0, tcpCount)) {
            closing.add(CompletableFuture.runAsync(client::close, closers));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(wsCloseNanos + System.nanoTime() - start);
        closers.shutdown();
        warmTcp.close();
        warmWs.close();

        int wsCount = count - tcpCount;
        result("connections", count + " (" + tcpCount + " + " + wsCount + ")");
        result("threads", threads + " (" + baseThreads + " with the 2 warm-up connections)");
        result("heap_per_tcp_kib", String.format(Locale.ROOT, "%.1f", (heapTcpOnly - baseHeap) / 1024.0 / Math.max(1, tcpCount)));
        result("heap_per_ws_kib", String.format(Locale.ROOT, "%.1f", (heapAll - heapTcpOnly) / 1024.0 / Math.max(1, wsCount)));
        result("heap_per_closed_ws_client_kib", String.format(Locale.ROOT, "%.1f",
                (heapTcpAndClosedWs - heapTcpOnly) / 1024.0 / Math.max(1, wsCount)));
        result("connect_ms", Long.toString(connectMillis));
        result("broadcast_ms", received.get() == count ? Long.toString(broadcastMillis)
                : broadcastMillis + " (only " + received.get() + " of " + count + ")");
        result("close_ms", Long.toString(closeMillis));
    }

    /**
     * One producer sending distinct 1 KiB bodies as fast as {@code send} lets it, one consumer counting them
     * in order, in a JVM of -Xmx256m: the bounded outbound buffer is what keeps the heap.
     */
    private static void floodClient(String url, String login, String passcode, int messages) throws Exception {
        Map<String, String> headers = Map.of("login", login, "passcode", passcode);
        String queue = "/queue/flood-" + System.nanoTime();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        String padding = "p".repeat(1024 - 12);
        try (StompClient consumer = Stomp.client(url); StompClient producer = Stomp.client(url)) {
            consumer.connectAsync(headers).get(10, TimeUnit.SECONDS);
            String receipt = "sub-" + System.nanoTime();
            CompletableFuture<?> subscribed = consumer.watchForReceipt(receipt);
            consumer.subscribe(queue, m -> {
                int expected = received.getAndIncrement();
                if (!m.body().startsWith(String.format("%010d", expected))) {
                    outOfOrder.incrementAndGet();
                }
            }, Map.of("receipt", receipt));
            subscribed.get(10, TimeUnit.SECONDS);
            producer.connectAsync(headers).get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                producer.send(queue, Map.of(), String.format("%010d", i) + padding);
            }
            long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (received.get() < messages && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf(Locale.ROOT, "RESULT flood %s: %d sent in %d ms (send loop), %d received in %d ms, %d out of "
                    + "order, max heap %d MiB, heap used now %d MiB%n", url, messages, sendMillis, received.get(), allMillis,
                    outOfOrder.get(), Runtime.getRuntime().maxMemory() >> 20, heapAfterGc() >> 20);
        }
    }

    /**
     * With -Djstomp.probe.lookMillis=N, says where it is and waits N ms, for a jmap -histo:live from outside
     * (the heap breakdown in BENCHMARKS.md); by default it goes straight on.
     */
    private static void pauseForALook(String where) throws InterruptedException {
        long millis = Long.getLong("jstomp.probe.lookMillis", 0);
        if (millis > 0) {
            System.out.println("look: " + where + ", pid " + ProcessHandle.current().pid());
            Thread.sleep(millis);
        }
    }

    private static void result(String name, String value) {
        System.out.println("RESULT " + name + "=" + value);
    }

    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** Live threads by name, numbers left out ("jstomp-ws-worker(12)" counts as "jstomp-ws-worker"), most first. */
    private static String threadNames() {
        Map<String, Integer> byName = new java.util.TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            byName.merge(thread.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        return byName.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }

    /** Heap after GC once it stops falling: two readings a second apart within 1 MiB, at most 30 s. */
    private static long heapSettled() throws InterruptedException {
        long last = heapAfterGc();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            long now = heapAfterGc();
            if (Math.abs(last - now) < 1024 * 1024) {
                return Math.min(last, now);
            }
            last = now;
        }
        return last;
    }

    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
