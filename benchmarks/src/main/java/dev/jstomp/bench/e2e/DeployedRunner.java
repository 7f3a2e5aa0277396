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

import dev.jstomp.broker.EmbeddedArtemis;
import dev.jstomp.broker.EmbeddedArtemisMain;

/**
 * The runner as users deploy: the embedded broker in a JVM of its own, and every client in a fresh JVM (or
 * Node process) of its own for every round and warm-up level, running {@link ClientMain} (or
 * {@code benchmarks/node/workload.mjs}) against the broker's port and printing {@code RESULT} lines that
 * this class parses. The client order rotates every round; cold and warm children alternate within a
 * round. Prints the tables (medians, min..max, ratios within this run) and the targets, and writes every
 * measurement to {@code deployed.csv}. The broker and any running child are killed when this JVM exits.
 *
 * <p>{@code benchmarks/run.sh deployed --help} lists the options.
 */
public final class DeployedRunner {

    private static final PrintStream out = System.out;

    /** One client on one transport as a child process. */
    record Kind(String client, String transport) {
        String label() {
            return client + "/" + transport;
        }

        boolean node() {
            return client.equals("stompjs");
        }
    }

    /** jstomp from {@code --baseline-jar}: an older build measured side by side with this one (A/B). */
    static final String BASELINE_CLIENT = "jstomp-base";

    private static final List<Kind> ALL = List.of(new Kind("jstomp", "tcp"), new Kind("jstomp", "ws"),
            new Kind("raw", "tcp"), new Kind("raw", "ws"), new Kind("vertx-noreceipt", "tcp"), new Kind("vertx", "tcp"),
            new Kind("spring", "tcp"), new Kind("spring", "ws"), new Kind("stompjs", "ws"),
            // jstomp-micrometer's cost (not in the default selection): metrics, metrics + tracing sampled at 1.0 and 0.1.
            new Kind("jstomp-metrics", "tcp"), new Kind("jstomp-metrics", "ws"),
            new Kind("jstomp-observed", "tcp"), new Kind("jstomp-observed", "ws"),
            new Kind("jstomp-observed-0.1", "tcp"), new Kind("jstomp-observed-0.1", "ws"),
            new Kind(BASELINE_CLIENT, "tcp"), new Kind(BASELINE_CLIENT, "ws"),
            // jstomp with callbackExecutor(Runnable::run): callbacks on the reading thread, no hop.
            new Kind("jstomp-direct", "tcp"), new Kind("jstomp-direct", "ws"),
            // For diagnosis: jstomp sends and raw receives, or the other way round.
            new Kind("jstomp-send", "tcp"), new Kind("jstomp-send", "ws"),
            new Kind("jstomp-receive", "tcp"), new Kind("jstomp-receive", "ws"));

    private int rounds = 5;
    private List<Long> warmups = List.of(20_000L, 100_000L);
    private List<String> clients = List.of("jstomp", "raw", "vertx-noreceipt", "vertx", "spring", "stompjs");
    private List<String> transports = List.of("tcp", "ws");
    private long messages = 100_000;
    private int size = 128;
    private int pings = 2_000;
    private int pingWarmup = 500;
    private String sizes = "16384,1048576";
    private int sizeBudgetMb = 32;
    private String childHeap = "1g";
    private String brokerHeap = "2g";
    private Path jfrDir;
    private List<String> jfrClients = List.of("jstomp");
    private long childTimeoutSeconds = 300;
    private boolean stages;
    private Path baselineJar;
    private List<String> childJavaOptions = List.of();
    /** Warm-up messages of the raw client's round 0 per transport, not counted; 0 for none. */
    private long brokerWarmup = 20_000;
    private Path outDir = Paths.get("benchmarks", "results");

    private final String runId = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
    private final List<Result> results = new ArrayList<>();
    private volatile Process broker;
    private volatile Process child;
    /** Set once this JVM is exiting: start no further child. */
    private volatile boolean stopping;

    /** What one child printed. */
    record Result(Kind kind, long warmup, int round, int position, Map<String, String> values, double load) {
        boolean ok() {
            return "ok".equals(values.get("done"));
        }

        double get(String name) {
            String v = values.get(name);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--report")) {
            report(Paths.get(args[1]), Paths.get(args[2]));
            return;
        }
        DeployedRunner runner = new DeployedRunner();
        if (runner.parse(args)) {
            runner.run();
        }
    }

    private boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println("""
                        Usage: benchmarks/run.sh deployed [options]
                          --rounds R            rounds; the client order rotates every round (default 5)
                          --warmups LIST        warm-up levels, messages per child before the timed run
                                                (default 20000,100000: cold and warm)
                          --clients LIST        jstomp,raw,vertx-noreceipt,vertx,spring,stompjs (default these);
                                                also jstomp-metrics, jstomp-observed (metrics + tracing, every
                                                trace sampled), jstomp-observed-0.1 (10% sampled);
                                                jstomp-direct (callbacks on the reading thread,
                                                callbackExecutor(Runnable::run));
                                                for diagnosis jstomp-send (jstomp sends, raw receives)
                                                and jstomp-receive (raw sends, jstomp receives)
                          --transport LIST      tcp,ws (default both)
                          --messages N          messages in the timed throughput run (default 100000)
                          --size BYTES          body size of the throughput and round-trip runs (default 128)
                          --pings N             round trips, one in flight (default 2000)
                          --ping-warmup N       round trips before those, not counted (default 500)
                          --sizes LIST          larger bodies, each timed after the round trips (default
                                                16384,1048576; '' for none)
                          --size-budget-mb MB   body bytes per size run: N = min(messages, max(100, MB/size)) (default 32)
                          --child-heap SIZE     -Xmx of every client JVM (default 1g)
                          --broker-heap SIZE    -Xmx of the broker JVM (default 2g)
                          --jfr DIR             record JFR (settings=profile) in the children of --jfr-clients
                          --jfr-clients LIST    default jstomp
                          --stages true         jstomp's round trips split into stages (writer, network, callback
                                                hop) through StompObserver hooks, median ping and slowest 1%;
                                                for profiling, not the headline (the hooks cost a little)
                          --child-timeout-seconds S  kill a child after S s (default 300)
                          --baseline-jar JAR    also run jstomp from this (older) benchmarks jar, as client
                                                jstomp-base, interleaved with the others: an A/B in one run
                          --broker-warmup N     before round 1, one raw client per transport runs the
                                                workload with N warm-up messages, not counted, so that the
                                                first client measured does not meet a cold broker (default
                                                20000; 0 for none)
                          --child-java-options 'OPTS'  extra JVM options of every Java child, for diagnosis
                                                (e.g. '-Xlog:jit+compilation=debug:file=/tmp/jit-%p.log')
                          --out DIR             where deployed.csv and deployed.png go (default benchmarks/results)
                        Or: benchmarks/run.sh deployed --report DEPLOYED.csv OUT.png   (the tables and chart again)
                        """);
                return false;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + a + " needs a value; --help lists them");
            }
            String v = args[++i];
            switch (a) {
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--warmups" -> warmups = list(v).stream().map(s -> Long.parseLong(s.replace("_", ""))).toList();
                case "--clients" -> clients = list(v);
                case "--transport" -> transports = list(v);
                case "--messages" -> messages = Long.parseLong(v.replace("_", ""));
                case "--size" -> size = Integer.parseInt(v);
                case "--pings" -> pings = Integer.parseInt(v);
                case "--ping-warmup" -> pingWarmup = Integer.parseInt(v);
                case "--sizes" -> sizes = v;
                case "--size-budget-mb" -> sizeBudgetMb = Integer.parseInt(v);
                case "--child-heap" -> childHeap = v;
                case "--broker-heap" -> brokerHeap = v;
                case "--jfr" -> jfrDir = Paths.get(v);
                case "--jfr-clients" -> jfrClients = list(v);
                case "--out" -> outDir = Paths.get(v);
                case "--child-timeout-seconds" -> childTimeoutSeconds = Long.parseLong(v);
                case "--stages" -> stages = Boolean.parseBoolean(v);
                case "--baseline-jar" -> baselineJar = Paths.get(v);
                case "--broker-warmup" -> brokerWarmup = Long.parseLong(v.replace("_", ""));
                case "--child-java-options" -> childJavaOptions = Arrays.stream(v.trim().split("\\s+"))
                        .filter(o -> !o.isEmpty()).toList();
                default -> throw new IllegalArgumentException("Unknown option " + a + "; --help lists them");
            }
        }
        return true;
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private void run() throws Exception {
        List<Kind> kinds = ALL.stream().filter(k -> (clients.contains(k.client())
                || (baselineJar != null && k.client().equals(BASELINE_CLIENT))) && transports.contains(k.transport()))
                .toList();
        if (baselineJar != null && !Files.isRegularFile(baselineJar)) {
            throw new IllegalArgumentException("--baseline-jar " + baselineJar + " is not a file");
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no client selected on these transports; --help lists them");
        }
        Files.createDirectories(outDir);
        if (jfrDir != null) {
            Files.createDirectories(jfrDir);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "bench-kill-children"));
        out.printf(Locale.ROOT, "Machine: %d cores, Java %s, load %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"), Files.readString(Paths.get("/proc/loadavg")).trim());
        int port = startBroker();
        out.printf("Broker: embedded Artemis in its own JVM (-Xmx%s) on 127.0.0.1:%d; run %s%n", brokerHeap, port, runId);
        out.printf(Locale.ROOT, "Each child: warm-up W, %,d x %d B timed, %,d round trips (after %,d), sizes %s "
                + "(%d MiB each); %d rounds, warm-up levels %s%n%n", messages, size, pings, pingWarmup,
                sizes.isBlank() ? "none" : sizes, sizeBudgetMb, rounds, warmups);
        if (brokerWarmup > 0) {
            // A deployed broker has been running for a while: without this, whichever client comes first in
            // round 1 measures the broker's JIT warm-up (a third of its usual throughput), not itself.
            for (String transport : transports) {
                Result warm = child(new Kind("raw", transport), brokerWarmup, 0, 0, port);
                out.printf(Locale.ROOT, "  round 0 (broker warm-up, not counted) raw/%s: %,.0f msgs/s%s%n", transport,
                        warm.get("msgs_per_s"), warm.ok() ? "" : "  FAILED " + warm.values().getOrDefault("failed", ""));
            }
        }
        Path csvPath = outDir.resolve("deployed.csv");
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8))) {
            csv.println("run_id,warmup,round,position,transport,client,metric,value,load1");
            for (int round = 1; round <= rounds; round++) {
                List<Kind> order = new ArrayList<>(kinds);
                java.util.Collections.rotate(order, -((round - 1) % order.size()));
                int position = 0;
                for (Kind kind : order) {
                    position++;
                    for (long warmup : warmups) {
                        Result r = child(kind, warmup, round, position, port);
                        results.add(r);
                        for (Map.Entry<String, String> e : r.values().entrySet()) {
                            csv.printf(Locale.ROOT, "%s,%d,%d,%d,%s,%s,%s,%s,%.2f%n", runId, warmup, round, position,
                                    kind.transport(), kind.client(), e.getKey(), e.getValue().replace(',', ';'), r.load());
                        }
                        csv.flush();
                        out.printf(Locale.ROOT, "  round %d %-7s %-22s %,10.0f msgs/s  p50 %7.1f  p99 %8.1f us  "
                                + "start-up %6.0f ms  (load %.2f)%s%n", round, "w" + warmup,
                                kind.label(), r.get("msgs_per_s"), r.get("p50_us"), r.get("p99_us"), r.get("startup_ms"),
                                r.load(), r.ok() ? "" : "  FAILED " + r.values().getOrDefault("failed", "(no result)"));
                    }
                }
            }
        } finally {
            killAll();
        }
        out.println();
        out.printf(Locale.ROOT, "Load after: %s%n%n", Files.readString(Paths.get("/proc/loadavg")).trim());
        DeployedTables tables = new DeployedTables(out, results, kinds, rounds);
        for (long warmup : warmups) {
            tables.all(warmup, sizes.isBlank() ? List.of() : list(sizes).stream().map(Integer::parseInt).toList());
        }
        out.println("Every measurement: " + csvPath);
        Path png = outDir.resolve("deployed.png");
        DeployedChart.write(results, kinds, warmups, rounds, png);
        out.println("Chart: " + png);
    }

    /** Prints the tables of a deployed.csv again and draws its chart. */
    private static void report(Path csv, Path png) throws IOException {
        Map<String, Map<String, String>> byChild = new LinkedHashMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length < 9) {
                continue;
            }
            String key = f[1] + "," + f[2] + "," + f[4] + "," + f[5];
            byChild.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(f[6], f[7]);
            keys.putIfAbsent(key, f);
        }
        List<Result> results = new ArrayList<>();
        List<Long> warmups = new ArrayList<>();
        int rounds = 0;
        for (Map.Entry<String, Map<String, String>> e : byChild.entrySet()) {
            String[] f = keys.get(e.getKey());
            long warmup = Long.parseLong(f[1]);
            if (!warmups.contains(warmup)) {
                warmups.add(warmup);
            }
            rounds = Math.max(rounds, Integer.parseInt(f[2]));
            results.add(new Result(new Kind(f[5], f[4]), warmup, Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    e.getValue(), Double.parseDouble(f[8])));
        }
        java.util.Collections.sort(warmups);
        List<Kind> kinds = ALL.stream().filter(k -> results.stream().anyMatch(r -> r.kind().equals(k))).toList();
        List<Integer> sizes = results.stream().flatMap(r -> r.values().keySet().stream())
                .filter(k -> k.startsWith("size_") && k.endsWith("_msgs_per_s"))
                .map(k -> Integer.parseInt(k.substring(5, k.length() - "_msgs_per_s".length()))).distinct().sorted()
                .toList();
        DeployedTables tables = new DeployedTables(out, results, kinds, rounds);
        for (long warmup : warmups) {
            tables.all(warmup, sizes);
        }
        DeployedChart.write(results, kinds, warmups, rounds, png);
        out.println("Chart: " + png);
    }

    private int startBroker() throws IOException {
        List<String> command = List.of(java(), "-Xms" + brokerHeap, "-Xmx" + brokerHeap, "-cp",
                System.getProperty("java.class.path"), EmbeddedArtemisMain.class.getName(),
                "--ws-max-frame", Integer.toString(8 * 1024 * 1024));
        broker = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith(EmbeddedArtemisMain.READY)) {
                for (String part : line.split(" ")) {
                    if (part.startsWith("port=")) {
                        // Keep draining its output so it never blocks on a full pipe.
                        Thread drain = new Thread(() -> drain(reader), "bench-broker-out");
                        drain.setDaemon(true);
                        drain.start();
                        return Integer.parseInt(part.substring(5));
                    }
                }
            }
        }
        throw new IllegalStateException("the broker JVM ended before printing '" + EmbeddedArtemisMain.READY + "'");
    }

    private static void drain(BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // the broker ended
        }
    }

    private Result child(Kind kind, long warmup, int round, int position, int port) throws Exception {
        if (stopping) {
            throw new InterruptedException("stopping: the runner is exiting");
        }
        String queue = "bench." + runId + "." + kind.client() + "-" + kind.transport() + ".w" + warmup + ".r" + round;
        List<String> workload = List.of("port=" + port, "queue=" + queue, "warmup=" + warmup, "messages=" + messages,
                "size=" + size, "pings=" + pings, "ping-warmup=" + pingWarmup, "sizes=" + sizes,
                "size-budget-mb=" + sizeBudgetMb,
                "login=" + EmbeddedArtemis.USER, "passcode=" + EmbeddedArtemis.PASSWORD, "stages=" + stages);
        List<String> command = new ArrayList<>();
        if (kind.node()) {
            command.addAll(List.of("node", Paths.get("benchmarks", "node", "workload.mjs").toString()));
        } else {
            command.addAll(List.of(java(), "-Xmx" + childHeap));
            command.addAll(childJavaOptions);
            if (jfrDir != null && jfrClients.contains(kind.client())) {
                command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfrDir.resolve(
                        kind.client() + "-" + kind.transport() + "-w" + warmup + "-r" + round + ".jfr"));
            }
            boolean base = kind.client().equals(BASELINE_CLIENT);
            command.addAll(List.of("-cp", base ? baselineJar.toString() : System.getProperty("java.class.path"),
                    ClientMain.class.getName(), "client=" + (base ? "jstomp" : kind.client()), "transport=" + kind.transport()));
        }
        command.addAll(workload);
        Map<String, String> values = new LinkedHashMap<>();
        child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("RESULT ")) {
                        String[] kv = line.substring(7).split("=", 2);
                        synchronized (values) {
                            values.put(kv[0], kv.length > 1 ? kv[1] : "");
                        }
                    }
                }
            } catch (IOException ignored) {
                // the child ended
            }
        }, "bench-child-out");
        reader.start();
        if (!child.waitFor(childTimeoutSeconds, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            synchronized (values) {
                values.putIfAbsent("failed", "no result within " + childTimeoutSeconds + " s");
            }
        }
        reader.join(5_000);
        child.getOutputStream().close();
        double load = Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).split(" ")[0]);
        synchronized (values) {
            return new Result(kind, warmup, round, position, new LinkedHashMap<>(values), load);
        }
    }

    private void killAll() {
        stopping = true;
        Process c = child;
        if (c != null && c.isAlive()) {
            c.destroyForcibly();
        }
        Process b = broker;
        if (b != null && b.isAlive()) {
            b.destroy();
            try {
                if (!b.waitFor(10, TimeUnit.SECONDS)) {
                    b.destroyForcibly();
                }
            } catch (InterruptedException e) {
                b.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
