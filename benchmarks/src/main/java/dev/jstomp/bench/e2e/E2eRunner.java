package dev.jstomp.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * The end-to-end runner of issue #7. Starts an embedded Artemis, then puts the same workload (one producer
 * connection, C consumer connections, N messages of S bytes to a fresh queue, no receipts) through every
 * selected client, timing from the first send to the last receive at the consumers. The client order is
 * rotated every round; the tables give medians over rounds and ratios to the raw-socket baseline and to
 * jstomp on the same transport. Also: one-in-flight round-trip latency, larger bodies, 10,000
 * subscriptions and a soak (both in a child JVM, so the broker's heap is not counted), a CSV of every
 * measurement and the chart.
 *
 * <p>{@code ./benchmarks/run.sh --help} lists the options.
 */
public final class E2eRunner {

    private static final PrintStream out = System.out;

    // Options (see usage()).
    private long messages = 100_000;
    private int size = 128;
    private int rounds = 3;
    private int consumers = 1;
    private long warmup = 100_000;
    private List<String> transports = List.of("tcp", "ws");
    private List<String> clients = List.of("jstomp", "spring", "vertx", "vertx-noreceipt", "raw");
    private List<String> modes = List.of("throughput", "latency", "sizes", "subscriptions");
    private List<Integer> sizes = List.of(1024, 16 * 1024, 1024 * 1024);
    private long sizeBudgetBytes = 256L * 1024 * 1024;
    private int pings = 2_000;
    private int pingWarmup = 500;
    private int subscriptions = 10_000;
    private List<SubscriptionScenario> subscriptionScenarios = List.of(SubscriptionScenario.QUEUES);
    private int subscriptionConnections = 1;
    private long soak;
    private long maxRunSeconds = 45;
    private String soakTransport = "tcp";
    private Path outDir = Paths.get("benchmarks", "results");
    /** An embedded broker already running in a JVM of its own (EmbeddedArtemisMain), or 0 for one in this JVM. */
    private int brokerPort;

    private final String runId = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
    private final List<Row> rows = new ArrayList<>();
    private EmbeddedArtemis broker;
    private BrokerAddress address;
    private PrintWriter csv;

    public static void main(String[] args) throws Exception {
        E2eRunner runner = new E2eRunner();
        if (!runner.parse(args)) {
            return;
        }
        runner.run();
        System.exit(0); // some clients leave non-daemon threads behind (Tyrus, Reactor)
    }

    private boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                return false;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + a + " needs a value; --help lists them");
            }
            String v = args[++i];
            switch (a) {
                case "--messages" -> messages = Long.parseLong(v.replace("_", ""));
                case "--size" -> size = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--consumers" -> consumers = Integer.parseInt(v);
                case "--warmup" -> warmup = Long.parseLong(v.replace("_", ""));
                case "--transport" -> transports = list(v);
                case "--clients" -> clients = list(v);
                case "--modes" -> modes = list(v);
                case "--sizes" -> sizes = list(v).stream().map(Integer::parseInt).toList();
                case "--size-budget-mb" -> sizeBudgetBytes = Long.parseLong(v) * 1024 * 1024;
                case "--pings" -> pings = Integer.parseInt(v);
                case "--ping-warmup" -> pingWarmup = Integer.parseInt(v);
                case "--subscriptions" -> subscriptions = Integer.parseInt(v);
                case "--subscription-scenarios" ->
                        subscriptionScenarios = list(v).stream().map(SubscriptionScenario::of).toList();
                case "--subscription-connections" -> subscriptionConnections = Integer.parseInt(v);
                case "--soak" -> soak = Long.parseLong(v.replace("_", ""));
                case "--soak-transport" -> soakTransport = v;
                case "--out" -> outDir = Paths.get(v);
                case "--max-run-seconds" -> maxRunSeconds = Long.parseLong(v);
                case "--broker-port" -> brokerPort = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("Unknown option " + a + "; --help lists them");
            }
        }
        return true;
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void usage() {
        out.println("""
                Usage: benchmarks/run.sh [options]
                  --messages N          messages per throughput run (default 100000)
                  --size BYTES          body size of the main throughput runs (default 128)
                  --rounds R            rounds; the client order rotates every round (default 3)
                  --consumers C         consumer connections sharing the queue (default 1)
                  --warmup N            messages per client before round 1, not counted (default 100000)
                  --transport LIST      tcp,ws (default both)
                  --clients LIST        jstomp,spring,vertx,vertx-noreceipt,raw (default all); also jstomp-metrics
                                        and jstomp-observed (metrics and tracing, -Djstomp.bench.sampling=P)
                  --modes LIST          throughput,latency,sizes,subscriptions (default all four)
                  --sizes LIST          body sizes for the 'sizes' mode (default 1024,16384,1048576)
                  --size-budget-mb MB   bytes of body per 'sizes' run: N = min(messages, max(200, MB/size)) (default 256)
                  --pings N             round trips per client in the latency mode (default 2000)
                  --ping-warmup N       round trips before those, not counted (default 500)
                  --subscriptions N     subscriptions in the 'subscriptions' mode (default 10000)
                  --subscription-scenarios LIST
                                        what they subscribe to (default queues):
                                          queues     N distinct /queue/ destinations, created before the timing; N SENDs
                                          topics     N distinct /topic/ destinations, auto-created; N SENDs
                                          one-topic  N subscriptions (distinct ids) to one /topic/; one SEND reaches all
                  --subscription-connections C
                                        split the N subscriptions over C connections (default 1, as issue #7 asks;
                                        Artemis's cost per SUBSCRIBE grows with the subscriptions on its connection)
                  --soak N              also soak N messages through one jstomp subscription (default 0: off)
                  --soak-transport T    tcp or ws (default tcp)
                  --max-run-seconds S   give a throughput run up after S s in all, or 10 s without a message (default 45)
                  --out DIR             where results.csv and throughput.png go (default benchmarks/results)
                  --broker-port PORT    use the embedded broker already running on 127.0.0.1:PORT in a JVM of its
                                        own (java -cp ... dev.jstomp.broker.EmbeddedArtemisMain prints its port);
                                        throughput and latency modes only; the runner cannot see its queues, so it
                                        does not wait for the broker to register the consumers before timing
                """);
    }

    private void run() throws Exception {
        Files.createDirectories(outDir);
        Path csvPath = outDir.resolve("results.csv");
        csv = new PrintWriter(Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8));
        csv.println(Row.HEADER);
        csv.flush();
        machine();
        // Room for a 1 MiB frame in one WebSocket frame: raw Spring and the JDK client do not split frames.
        if (brokerPort > 0) {
            if (modes.contains("subscriptions") || soak > 0) {
                throw new IllegalArgumentException("--broker-port: only the throughput, sizes and latency modes");
            }
            address = new BrokerAddress("127.0.0.1", brokerPort, "ws://127.0.0.1:" + brokerPort + "/stomp",
                    EmbeddedArtemis.USER, EmbeddedArtemis.PASSWORD);
            out.printf("Embedded Artemis in another JVM on %s:%d; run %s%n%n", address.host(), address.port(), runId);
        } else {
            broker = new EmbeddedArtemis(8 * 1024 * 1024).start();
            address = new BrokerAddress(broker.tcpHost(), broker.port(), broker.wsUrl(), broker.user(), broker.password());
            out.printf("Embedded Artemis on %s:%d (TCP and WebSocket), started in %d ms; run %s%n%n",
                    address.host(), address.port(), broker.lastStartDuration().toMillis(), runId);
        }
        List<ClientKind> kinds = ClientKind.select(clients, transports);
        try {
            if (modes.contains("throughput")) {
                throughput(kinds, size, messages, warmup);
            }
            if (modes.contains("sizes")) {
                for (int s : sizes) {
                    long n = Math.min(messages, Math.max(200, sizeBudgetBytes / Math.max(1, s)));
                    throughput(kinds, s, n, Math.max(50, n / 10));
                }
            }
            if (modes.contains("latency")) {
                latency(kinds);
            }
            if (modes.contains("subscriptions")) {
                subscriptions();
            }
            if (soak > 0) {
                probe("soak", "soak", ClientKind.JSTOMP, soakTransport, List.of(Long.toString(soak)));
            }
        } finally {
            csv.close();
            if (broker != null) {
                broker.stop();
            }
        }
        out.println("Every measurement: " + csvPath);
        Path png = outDir.resolve("throughput.png");
        if (Chart.write(csvPath, png)) {
            out.println("Chart: " + png);
        }
    }

    private void machine() {
        out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + "), max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, load " + loadAverage());
    }

    // --- throughput ---

    private void throughput(List<ClientKind> kinds, int bodySize, long n, long warmupMessages) throws Exception {
        byte[] body = body(bodySize);
        out.printf("Throughput: %,d messages of %,d bytes, %d consumer(s), %d rounds (warm-up %,d per client first)%n",
                n, bodySize, consumers, rounds, warmupMessages);
        if (warmupMessages > 0) {
            for (ClientKind kind : kinds) {
                Row r = throughputRun(kind, body, warmupMessages, 0, 0);
                r.mode = "warmup";
                record(r);
            }
        }
        List<Row> measured = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<ClientKind> order = rotate(kinds, round - 1);
            for (int i = 0; i < order.size(); i++) {
                Row r = throughputRun(order.get(i), body, n, round, i + 1);
                record(r);
                measured.add(r);
                out.printf(Locale.ROOT, "  round %d  %-22s %,12.0f msgs/s %8.2f MB/s  %s us CPU/msg  (load %.2f)%s%n",
                        round, order.get(i).label(), r.msgsPerSec, r.mbPerSec, r.value, r.load1,
                        r.ok() ? "" : "  " + r.status);
            }
        }
        out.println();
        Tables.throughput(out, measured, kinds, bodySize, n, rounds);
        out.println();
        out.println("CPU time of the JVM (broker and clients) per message, median of rounds:");
        for (ClientKind kind : kinds) {
            double[] cpu = measured.stream().filter(r -> r.ok() && r.client().equals(kind.client())
                    && r.transport().equals(kind.transport()) && "cpu_us_per_msg".equals(r.metric))
                    .mapToDouble(r -> Double.parseDouble(r.value)).sorted().toArray();
            if (cpu.length > 0) {
                double median = cpu.length % 2 == 1 ? cpu[cpu.length / 2]
                        : (cpu[cpu.length / 2 - 1] + cpu[cpu.length / 2]) / 2;
                out.printf(Locale.ROOT, "  %-22s %8.2f us/msg  (rounds: %s)%n", kind.label(), median,
                        Arrays.toString(cpu));
            }
        }
    }

    /** CPU time used by this JVM so far, all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private Row throughputRun(ClientKind kind, byte[] body, long n, int round, int position) throws Exception {
        String destination = destination(kind, body.length, round, "t");
        Row r = row("throughput", kind, round, position);
        r.messages = n;
        r.bodyBytes = body.length;
        Inbox inbox = new Inbox();
        Workload workload = kind.create(address);
        try {
            workload.start(destination, inbox, consumers);
            awaitConsumers(destination, consumers);
            inbox.expect(n);
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) {
                workload.send(body);
            }
            workload.flush();
            long sent = System.nanoTime();
            long end = awaitProgress(inbox, t0);
            r.load1 = loadAverage();
            r.sendSeconds = (sent - t0) / 1e9;
            if (end < 0) {
                long got = inbox.count();
                r.status = "gave up: " + got + " of " + n + " received (stalled " + STALL_SECONDS + " s or over "
                        + maxRunSeconds + " s); broker: " + queueState(destination);
                r.seconds = (System.nanoTime() - t0) / 1e9;
                r.msgsPerSec = got / r.seconds;
            } else {
                r.seconds = (end - t0) / 1e9;
                r.msgsPerSec = n / r.seconds;
                // CPU time of the whole JVM (clients and broker) per message: on this shared machine a far
                // steadier measure of a client's cost than wall-clock throughput, which other loads stretch.
                r.metric = "cpu_us_per_msg";
                r.value = String.format(Locale.ROOT, "%.2f", (processCpuNanos() - cpu0) / 1e3 / n);
            }
            r.mbPerSec = r.msgsPerSec * body.length / 1e6;
        } catch (Exception e) {
            r.status = "failed: " + String.valueOf(e).replace(',', ';').replace('\n', ' ');
            r.load1 = loadAverage();
        } finally {
            closeQuietly(workload);
            dropQueue(destination);
            settle();
        }
        return r;
    }

    private static final int STALL_SECONDS = 10;

    /**
     * Waits for the inbox's target as long as messages keep arriving; gives up after {@value #STALL_SECONDS} s
     * without one, or when the run has taken {@code --max-run-seconds} in all.
     */
    private long awaitProgress(Inbox inbox, long t0) throws InterruptedException {
        long last = inbox.count();
        long lastChange = System.nanoTime();
        while (true) {
            long end = inbox.await(1, TimeUnit.SECONDS);
            if (end >= 0) {
                return end;
            }
            long now = inbox.count();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                return -1;
            }
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(maxRunSeconds)) {
                return -1;
            }
        }
    }

    // --- latency ---

    private void latency(List<ClientKind> kinds) throws Exception {
        byte[] body = body(size);
        out.printf("Round-trip latency: one message of %d bytes in flight, %,d pings after %,d warm-up, %d rounds%n",
                size, pings, pingWarmup, rounds);
        List<Row> measured = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<ClientKind> order = rotate(kinds, round - 1);
            for (int i = 0; i < order.size(); i++) {
                Row r = latencyRun(order.get(i), body, round, i + 1);
                record(r);
                measured.add(r);
                out.printf(Locale.ROOT, "  round %d  %-22s p50 %8.1f us  p99 %8.1f us  max %9.1f us  (load %.2f)%s%n",
                        round, order.get(i).label(), r.p50Us, r.p99Us, r.maxUs, r.load1, r.ok() ? "" : "  " + r.status);
            }
        }
        out.println();
        Tables.latency(out, measured, kinds, pings, rounds);
    }

    private Row latencyRun(ClientKind kind, byte[] body, int round, int position) throws Exception {
        String destination = destination(kind, body.length, round, "l");
        Row r = row("latency", kind, round, position);
        r.messages = pings;
        r.bodyBytes = body.length;
        Inbox inbox = new Inbox();
        Workload workload = kind.create(address);
        try {
            workload.start(destination, inbox, 1);
            awaitConsumers(destination, 1);
            long[] rtt = PingLoop.run(workload, inbox, body, pingWarmup, pings, () -> { }, null);
            r.load1 = loadAverage();
            Arrays.sort(rtt);
            r.p50Us = percentile(rtt, 50) / 1e3;
            r.p99Us = percentile(rtt, 99) / 1e3;
            r.maxUs = rtt[rtt.length - 1] / 1e3;
        } catch (Exception e) {
            r.status = "failed: " + String.valueOf(e).replace(',', ';').replace('\n', ' ');
            r.load1 = loadAverage();
        } finally {
            closeQuietly(workload);
            dropQueue(destination);
            settle();
        }
        return r;
    }

    static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    // --- child-JVM probes: subscriptions and soak ---

    /**
     * The subscriptions probe for every selected scenario: jstomp on each transport, then (TCP only) a raw
     * socket sending the same frames, the broker's share. Each run gets destinations of its own.
     */
    private void subscriptions() throws Exception {
        if (!clients.contains(ClientKind.JSTOMP) && !clients.contains(ClientKind.BASELINE)) {
            return;
        }
        List<String[]> summary = new ArrayList<>();
        for (SubscriptionScenario scenario : subscriptionScenarios) {
            for (String transport : transports) {
                for (String client : List.of(ClientKind.JSTOMP, ClientKind.BASELINE)) {
                    if (!clients.contains(client) || (client.equals(ClientKind.BASELINE) && !transport.equals("tcp"))) {
                        continue;
                    }
                    String set = scenario.label() + "-" + client + "-" + transport;
                    long bindingsBefore = broker.server().getPostOffice().getAllBindings().count();
                    if (scenario == SubscriptionScenario.QUEUES) {
                        precreateQueues(set, transport);
                    }
                    String probeMode = client.equals(ClientKind.JSTOMP) ? "subscriptions" : "subscriptions-raw";
                    Map<String, String> results = probe(probeMode, "subscriptions/" + scenario.label(), client,
                            transport, List.of(Integer.toString(subscriptions), set, scenario.label(),
                                    Integer.toString(subscriptionConnections)));
                    if (scenario == SubscriptionScenario.QUEUES) {
                        dropQueues(set);
                    }
                    awaitBrokerIdle(bindingsBefore);
                    summary.add(new String[] {scenario.label(), transport, client,
                            results.getOrDefault("subscribe_calls_ms", "-"),
                            results.getOrDefault("subscribe_confirmed_ms", "-"), results.getOrDefault("sends", "-"),
                            results.getOrDefault("deliver_all_ms", "-"),
                            results.getOrDefault("heap_per_subscription_bytes", "-"),
                            String.format(Locale.ROOT, "%.2f", loadAverage())});
                }
            }
        }
        out.printf("Subscriptions: %,d on %d connection(s), embedded Artemis (times from the first subscribe call; "
                + "'confirmed' is the broker's RECEIPT for the last SUBSCRIBE; 'delivered' is the last callback after "
                + "the first SEND)%n%n", subscriptions, subscriptionConnections);
        out.println("| scenario | transport | client | calls returned (ms) | confirmed (ms) | SENDs "
                + "| all delivered (ms) | heap per subscription (B) | load (1 min) |");
        out.println("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String[] line : summary) {
            out.println("| " + String.join(" | ", line) + " |");
        }
        out.println();
    }

    /** Runs a probe in a child JVM; its RESULT lines become rows of mode {@code rowMode}, and the map returned. */
    private Map<String, String> probe(String mode, String rowMode, String client, String transport, List<String> extra)
            throws Exception {
        String url = transport.equals("ws") ? address.wsUrl() : address.tcpUrl();
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), mode, url, address.login(), address.passcode(), runId));
        command.addAll(extra);
        out.printf("%s (%s/%s, in a child JVM: -Xmx1g, so only the client's heap is measured)%n",
                rowMode, client, transport);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> results = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.println("  " + line);
                if (line.startsWith("RESULT ")) {
                    String[] kv = line.substring(7).split("=", 2);
                    results.put(kv[0], kv[1]);
                    Row r = new Row();
                    r.runId = runId;
                    r.timestamp = Instant.now().toString();
                    r.mode = rowMode;
                    r.transport = transport;
                    r.client = client;
                    r.consumers = 1;
                    r.metric = kv[0];
                    r.value = kv[1];
                    r.load1 = loadAverage();
                    record(r);
                }
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        out.println();
        return results;
    }

    /**
     * Creates the queues scenario's queues before it runs, so that the timing covers subscribing and not
     * address and queue creation (a few percent of the broker's work per SUBSCRIBE, by JFR; the rest is the
     * per-connection cost described in {@link SubscriptionScenario}).
     */
    private void precreateQueues(String set, String transport) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < subscriptions; i++) {
            String name = SubscriptionScenario.queueName(runId + "." + set, i);
            broker.server().createQueue(org.apache.activemq.artemis.api.core.QueueConfiguration.of(name)
                    .setAddress(name).setRoutingType(org.apache.activemq.artemis.api.core.RoutingType.ANYCAST)
                    .setDurable(false).setAutoCreated(false));
        }
        Row r = new Row();
        r.runId = runId;
        r.timestamp = Instant.now().toString();
        r.mode = "subscriptions/" + SubscriptionScenario.QUEUES.label();
        r.transport = transport;
        r.client = "broker";
        r.metric = "precreate_queues_ms";
        r.value = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e6);
        r.load1 = loadAverage();
        record(r);
        out.printf("Pre-created %,d queues in the broker in %s ms%n", subscriptions, r.value);
    }

    /**
     * Waits until the broker has closed the probe's connections and removed their consumers and temporary
     * queues (seconds for 10,000), so that the next run does not compete with that work, nor broker.stop().
     */
    private void awaitBrokerIdle(long bindingsBefore) throws InterruptedException {
        var server = broker.server();
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        long lastBindings = -1;
        long stableSince = t0;
        while (System.nanoTime() < deadline) {
            long bindings = server.getPostOffice().getAllBindings().count();
            if (bindings != lastBindings) {
                lastBindings = bindings;
                stableSince = System.nanoTime();
            }
            boolean bindingsDone = bindings <= bindingsBefore || System.nanoTime() - stableSince > 1_000_000_000L;
            if (server.getConnectionCount() == 0 && server.getTotalConsumerCount() == 0 && bindingsDone) {
                out.printf(Locale.ROOT, "Broker idle again after %.1f s (%d bindings, %d before the run)%n%n",
                        (System.nanoTime() - t0) / 1e9, bindings, bindingsBefore);
                return;
            }
            Thread.sleep(100);
        }
        out.printf("Broker still busy after 120 s: %d connections, %d consumers%n%n", server.getConnectionCount(),
                server.getTotalConsumerCount());
    }

    /** Removes a queues scenario's queues, so that later runs find the broker as the first one did. */
    private void dropQueues(String set) {
        for (int i = 0; i < subscriptions; i++) {
            String name = SubscriptionScenario.queueName(runId + "." + set, i);
            dropQueue("/queue/" + name);
            try {
                broker.server().removeAddressInfo(SimpleString.of(name), null);
            } catch (Exception ignored) {
                // already reaped
            }
        }
    }

    // --- helpers ---

    private Row row(String mode, ClientKind kind, int round, int position) {
        Row r = new Row();
        r.runId = runId;
        r.timestamp = Instant.now().toString();
        r.mode = mode;
        r.transport = kind.transport();
        r.client = kind.client();
        r.round = round;
        r.position = position;
        r.consumers = consumers;
        return r;
    }

    private void record(Row r) {
        rows.add(r);
        csv.println(r.csv());
        csv.flush();
    }

    private String destination(ClientKind kind, int bodySize, int round, String what) {
        return "/queue/bench." + runId + "." + what + "." + kind.client() + "-" + kind.transport() + "." + bodySize
                + ".r" + round;
    }

    /** Waits until the broker has the consumers on the queue, so no client is timed while subscribing. */
    private void awaitConsumers(String destination, int count) throws InterruptedException {
        if (broker == null) {
            return; // a broker in another JVM: its queues are out of sight
        }
        String name = destination.substring("/queue/".length());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Queue queue = broker.server().locateQueue(name);
            if (queue != null && queue.getConsumerCount() >= count) {
                return;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("The broker did not see " + count + " consumer(s) on " + name + " in 20 s");
    }

    /** The broker's view of a queue, for runs that did not finish: did the messages arrive, are they stuck? */
    private String queueState(String destination) {
        if (broker == null) {
            return "not visible (another JVM)";
        }
        Queue queue = broker.server().locateQueue(destination.substring("/queue/".length()));
        if (queue == null) {
            return "no queue";
        }
        return "added " + queue.getMessagesAdded() + " acked " + queue.getMessagesAcknowledged() + " in queue "
                + queue.getMessageCount() + " delivering " + queue.getDeliveringCount() + " consumers "
                + queue.getConsumerCount();
    }

    private void dropQueue(String destination) {
        if (broker == null) {
            return; // Artemis deletes an auto-created queue once it is empty and without consumers
        }
        try {
            broker.server().destroyQueue(SimpleString.of(destination.substring("/queue/".length())), null, false, true);
        } catch (Exception ignored) {
            // auto-deleted already, or never created
        }
    }

    /** Between runs, so that no client pays for the garbage or the TIME_WAIT churn of the one before it. */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(300);
    }

    private static void closeQuietly(Workload workload) {
        try {
            workload.close();
        } catch (RuntimeException e) {
            System.err.println("closing " + workload.getClass().getSimpleName() + ": " + e);
        }
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> rotated = new ArrayList<>(list);
        if (!rotated.isEmpty()) {
            java.util.Collections.rotate(rotated, -(by % rotated.size()));
        }
        return rotated;
    }

    private static byte[] body(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
