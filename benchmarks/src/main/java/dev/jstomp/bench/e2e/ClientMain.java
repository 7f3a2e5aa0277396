package dev.jstomp.bench.e2e;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * One client in a fresh JVM of its own, against a broker in another JVM: the child that
 * {@link DeployedRunner} starts for every round and client. In order, on one producer and one consumer
 * connection and one queue: the warm-up messages (the first one received gives the start-up time), the
 * timed throughput run, the round trips, then each larger body size. Prints {@code RESULT name=value} lines
 * that the runner parses; the Node workload ({@code benchmarks/node/workload.mjs}) prints the same.
 *
 * <pre>
 * java -cp benchmarks.jar dev.jstomp.bench.e2e.ClientMain client=jstomp transport=tcp port=PORT queue=NAME \
 *     warmup=20000 messages=100000 size=128 pings=2000 ping-warmup=500 sizes=16384,1048576 size-budget-mb=32
 * </pre>
 */
public final class ClientMain {

    /** When the last {@link #run}'s last send call returned (nanoTime): the "sends done" figure. */
    private static long lastSendReturned;

    private ClientMain() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = System.nanoTime();
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("ClientMain: expected name=value, got '" + a + "'");
            }
            o.put(kv[0], kv[1]);
        }
        lifeline();
        String client = o.get("client");
        String transport = o.get("transport");
        int port = Integer.parseInt(o.get("port"));
        BrokerAddress broker = new BrokerAddress("127.0.0.1", port, "ws://127.0.0.1:" + port + "/stomp",
                o.getOrDefault("login", EmbeddedArtemis.USER), o.getOrDefault("passcode", EmbeddedArtemis.PASSWORD));
        ClientKind kind = ClientKind.select(List.of(client), List.of(transport)).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client " + client + " on " + transport));
        String destination = "/queue/" + o.get("queue");
        long warmup = Math.max(1, Long.parseLong(o.getOrDefault("warmup", "20000")));
        long messages = Long.parseLong(o.getOrDefault("messages", "100000"));
        int size = Integer.parseInt(o.getOrDefault("size", "128"));
        int pings = Integer.parseInt(o.getOrDefault("pings", "2000"));
        int pingWarmup = Integer.parseInt(o.getOrDefault("ping-warmup", "500"));
        List<Integer> sizes = o.getOrDefault("sizes", "").isBlank() ? List.of()
                : Arrays.stream(o.get("sizes").split(",")).map(String::trim).map(Integer::parseInt).toList();
        long budget = Long.parseLong(o.getOrDefault("size-budget-mb", "32")) * 1024 * 1024;

        // stages=true (jstomp only): where each round trip spends its time, through StompObserver's hooks.
        PingStages stages = Boolean.parseBoolean(o.getOrDefault("stages", "false")) && client.equals("jstomp")
                ? new PingStages(pings) : null;
        Inbox inbox = new Inbox();
        Workload workload = stages == null ? kind.create(broker)
                : new JstompWorkload(broker, transport.equals("ws"), Instrumentation.NONE, stages);
        try {
            workload.start(destination, inbox, 1);
            byte[] body = body(size);
            // Warm-up; its first message received ends the start-up time (main to first message).
            inbox.expect(1);
            workload.send(body);
            workload.flush();
            long first = inbox.await(30, TimeUnit.SECONDS);
            if (first < 0) {
                throw new IllegalStateException("the first message did not arrive within 30 s");
            }
            result("startup_ms", String.format(Locale.ROOT, "%.1f", (first - mainAt) / 1e6));
            ProcessHandle.current().info().startInstant().ifPresent(start -> result("process_startup_ms",
                    Duration.between(start, Instant.now()).toMillis() - (System.nanoTime() - first) / 1_000_000));
            run(workload, inbox, body, warmup - 1, 60);
            // Timed: from the first send to the last receive.
            CpuSample cpu0 = CpuSample.now();
            long alloc0 = allocatedBytes();
            long[] proc0 = procCounters();
            long uptime0 = ManagementFactory.getRuntimeMXBean().getUptime();
            long t0 = System.nanoTime();
            long end = run(workload, inbox, body, messages, 120);
            // The pid and its JVM uptime at the timed run's ends (CSV only): lines a compilation log up with the run.
            result("timed_uptime_ms", ProcessHandle.current().pid() + ":" + uptime0 + ".."
                    + ManagementFactory.getRuntimeMXBean().getUptime());
            long sent = lastSendReturned;
            CpuSample cpu1 = CpuSample.now();
            long alloc1 = allocatedBytes();
            long[] proc1 = procCounters();
            // Load-robust figures: what the client's process spent per message, whatever else ran meanwhile.
            cpu0.reportUntil(cpu1, "", "%.2f", messages);
            if (proc0 != null && proc1 != null) {
                // The kernel's share of that CPU, and the context switches (a thread parking or being woken).
                result("sys_cpu_share", String.format(Locale.ROOT, "%.2f",
                        (proc1[1] - proc0[1]) / (double) Math.max(1, proc1[0] + proc1[1] - proc0[0] - proc0[1])));
                result("ctx_switches_per_msg", String.format(Locale.ROOT, "%.3f", (proc1[2] - proc0[2]) / (double) messages));
            }
            if (alloc0 >= 0 && alloc1 >= 0) {
                result("alloc_b_per_msg", String.format(Locale.ROOT, "%.0f", (double) (alloc1 - alloc0) / messages));
            }
            result("msgs_per_s", String.format(Locale.ROOT, "%.1f", messages / ((end - t0) / 1e9)));
            result("seconds", String.format(Locale.ROOT, "%.4f", (end - t0) / 1e9));
            result("send_seconds", String.format(Locale.ROOT, "%.4f", (sent - t0) / 1e9));
            pings(workload, inbox, body, pings, pingWarmup, stages);
            for (int s : sizes) {
                byte[] big = body(s);
                long n = Math.min(messages, Math.max(100, budget / s));
                run(workload, inbox, big, Math.max(10, n / 10), 120);
                CpuSample sizeCpu0 = CpuSample.now();
                long s0 = System.nanoTime();
                long s1 = run(workload, inbox, big, n, 180);
                CpuSample sizeCpu1 = CpuSample.now();
                result("size_" + s + "_messages", n);
                result("size_" + s + "_msgs_per_s", String.format(Locale.ROOT, "%.1f", n / ((s1 - s0) / 1e9)));
                // Where the client's CPU went during the size run, in us per message (CSV only, for diagnosis).
                sizeCpu0.reportUntil(sizeCpu1, "size_" + s + "_", "%.1f", n);
            }
            result("threads", ManagementFactory.getThreadMXBean().getThreadCount());
            result("done", "ok");
        } catch (Exception e) {
            result("failed", String.valueOf(e).replace('\n', ' ').replace(',', ';'));
        } finally {
            try {
                workload.close();
            } catch (RuntimeException e) {
                System.err.println("closing " + client + "/" + transport + ": " + e);
            }
        }
        System.exit(0); // some clients leave non-daemon threads behind (Tyrus, Reactor)
    }

    /** Sends n messages and waits for the consumer to have them all; the nanoTime of the last one. */
    private static long run(Workload workload, Inbox inbox, byte[] body, long n, long timeoutSeconds) throws Exception {
        if (n <= 0) {
            return System.nanoTime();
        }
        inbox.expect(inbox.count() + n);
        for (long i = 0; i < n; i++) {
            workload.send(body);
        }
        workload.flush();
        lastSendReturned = System.nanoTime();
        long end = inbox.await(timeoutSeconds, TimeUnit.SECONDS);
        if (end < 0) {
            throw new IllegalStateException(inbox.count() + " messages received, expected " + n + " more within "
                    + timeoutSeconds + " s");
        }
        return end;
    }

    /** One message in flight: send, wait for it, again; percentiles and the GC pauses during the timed ones. */
    private static void pings(Workload workload, Inbox inbox, byte[] body, int pings, int pingWarmup,
            PingStages stages) throws Exception {
        long[] gcAtStart = new long[2]; // collections and their milliseconds when the timed pings begin
        long[] rtt = PingLoop.run(workload, inbox, body, pingWarmup, pings, () -> {
            gcAtStart[0] = gcCount();
            gcAtStart[1] = gcMillis();
        }, stages == null ? null : stages::record);
        if (stages != null) {
            stages.report();
        }
        Arrays.sort(rtt);
        result("p50_us", String.format(Locale.ROOT, "%.1f", E2eRunner.percentile(rtt, 50) / 1e3));
        result("p99_us", String.format(Locale.ROOT, "%.1f", E2eRunner.percentile(rtt, 99) / 1e3));
        result("max_us", String.format(Locale.ROOT, "%.1f", rtt[rtt.length - 1] / 1e3));
        result("ping_gc_count", gcCount() - gcAtStart[0]);
        result("ping_gc_ms", gcMillis() - gcAtStart[1]);
    }

    /** The process's CPU time and each thread's clock ticks at one moment; either may be unknown (-1, null). */
    private record CpuSample(long processNanos, Map<String, Long> threads) {

        static CpuSample now() {
            return new CpuSample(processCpuNanos(), threadTicks());
        }

        /** Reports {@code PREFIXcpu_us_per_msg} and {@code PREFIXcpu_threads} from here to {@code later}. */
        void reportUntil(CpuSample later, String prefix, String usFormat, long messages) {
            if (processNanos >= 0 && later.processNanos >= 0) {
                result(prefix + "cpu_us_per_msg", String.format(Locale.ROOT, usFormat,
                        (later.processNanos - processNanos) / 1e3 / messages));
            }
            if (threads != null && later.threads != null) {
                result(prefix + "cpu_threads", cpuByThreadGroup(threads, later.threads, messages));
            }
        }
    }

    /** The CPU time of the whole client process (every thread, user and system), or -1 where not known. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * From /proc (Linux): the process's user and system clock ticks and the context switches of all its
     * threads alive now; null where there is no /proc.
     */
    private static long[] procCounters() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Paths.get("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long switches = 0;
            try (var tasks = java.nio.file.Files.list(java.nio.file.Paths.get("/proc/self/task"))) {
                for (java.nio.file.Path task : tasks.toList()) {
                    try {
                        for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            }
                        }
                    } catch (IOException ended) {
                        // the thread ended meanwhile
                    }
                }
            }
            // After the command: state is field 3, utime 14 and stime 15 (1-based, counting pid and comm).
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), switches};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Clock ticks (user + system) of every thread alive now, by tid and name ("tid name"); null without /proc. */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Paths.get("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(task.getFileName() + " " + name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Where the client's CPU went during the timed run, by thread group (names without their numbers: the
     * JIT's compiler threads, GC, Netty's or Grizzly's I/O threads, the callback pool, main), in us per
     * message, largest first: "group:us;group:us".
     */
    private static String cpuByThreadGroup(Map<String, Long> before, Map<String, Long> after, long messages) {
        Map<String, Long> groups = new HashMap<>();
        after.forEach((key, ticks) -> {
            String name = key.substring(key.indexOf(' ') + 1).replaceAll("[0-9#]+", "").replaceAll("[-_ ]+$", "");
            groups.merge(name, ticks - before.getOrDefault(key, 0L), Long::sum);
        });
        double usPerTick = 1e6 / 100; // USER_HZ is 100 on Linux
        return groups.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s:%.2f", e.getKey(), e.getValue() * usPerTick / messages))
                .reduce((a, b) -> a + ";" + b).orElse("");
    }

    /** Bytes allocated so far by the threads alive now (a thread that ended meanwhile is not counted), or -1. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            long sum = 0;
            for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                sum += Math.max(0, bytes);
            }
            return sum;
        }
        return -1;
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** Exits when the runner goes away (its end of our standard input closes), so no child outlives it. */
    private static void lifeline() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing to read
                }
            } catch (IOException ignored) {
                // closed
            }
            Runtime.getRuntime().halt(3);
        }, "bench-lifeline");
        t.setDaemon(true);
        t.start();
    }

    private static byte[] body(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    static void result(String name, Object value) {
        System.out.println("RESULT " + name + "=" + value);
        System.out.flush();
    }
}
