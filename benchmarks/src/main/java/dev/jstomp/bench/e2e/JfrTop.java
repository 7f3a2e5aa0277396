package dev.jstomp.bench.e2e;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the runner (JDK 17's {@code jfr} tool has no hot-methods view): CPU
 * samples and allocation samples, grouped by thread role (the producer thread, jstomp's writer and
 * callback threads, Netty/Reactor I/O threads, Tyrus, the broker), with the top self frames, the top
 * methods by inclusive share, and the top allocation sites.
 *
 * <pre>
 * JAVA_OPTS='-XX:StartFlightRecording=filename=jstomp.jfr,settings=profile' \
 *     benchmarks/run.sh --clients jstomp --transport tcp --modes throughput --messages 300000
 * java -cp benchmarks/target/benchmarks.jar dev.jstomp.bench.e2e.JfrTop jstomp.jfr [TOP]
 * </pre>
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Stats> cpu = new TreeMap<>();
        Map<String, Stats> alloc = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Paths.get(args[0]))) {
            String type = e.getEventType().getName();
            boolean sample = type.equals("jdk.ExecutionSample");
            boolean allocation = type.equals("jdk.ObjectAllocationSample");
            if (!sample && !allocation) {
                continue;
            }
            RecordedThread thread = e.getThread(sample ? "sampledThread" : "eventThread");
            RecordedStackTrace stack = e.getStackTrace();
            if (thread == null || stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            String role = role(thread.getJavaName());
            if (sample) {
                cpu.computeIfAbsent(role, r -> new Stats()).add(stack.getFrames(), 1, null);
            } else {
                String cls = e.getClass("objectClass").getName();
                alloc.computeIfAbsent(role, r -> new Stats()).add(stack.getFrames(), e.getLong("weight"), cls);
            }
        }
        long cpuTotal = cpu.values().stream().mapToLong(s -> s.total).sum();
        System.out.printf(Locale.ROOT, "CPU samples: %,d in all%n", cpuTotal);
        cpu.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().total, a.getValue().total)).forEach(e -> {
            Stats s = e.getValue();
            System.out.printf(Locale.ROOT, "%n== %s: %,d samples (%.1f%% of all)%n", e.getKey(), s.total, 100.0 * s.total / cpuTotal);
            System.out.println("  top self frames:");
            print(s.self, s.total, top, "%");
            System.out.println("  top methods, inclusive (jstomp, Spring, Tyrus, Vert.x STOMP, Artemis STOMP):");
            print(s.inclusive, s.total, top, "%");
        });
        long allocTotal = alloc.values().stream().mapToLong(s -> s.total).sum();
        System.out.printf(Locale.ROOT, "%nAllocation (sampled weight): %,d MB in all%n", allocTotal / 1_000_000);
        alloc.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().total, a.getValue().total)).forEach(e -> {
            Stats s = e.getValue();
            System.out.printf(Locale.ROOT, "%n== %s: %,d MB (%.1f%% of all)%n", e.getKey(), s.total / 1_000_000,
                    100.0 * s.total / Math.max(1, allocTotal));
            System.out.println("  top sites (class <- first frame outside java.*, jdk.*):");
            print(s.sites, s.total, top, "%");
        });
    }

    private static void print(Map<String, Long> counts, long total, int top, String unit) {
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
                .forEach(c -> System.out.printf(Locale.ROOT, "    %5.1f%s  %s%n", 100.0 * c.getValue() / Math.max(1, total),
                        unit, c.getKey()));
    }

    static String role(String thread) {
        if (thread == null) {
            return "unknown";
        }
        if (thread.equals("main")) {
            return "producer (main thread: send calls)";
        }
        if (thread.startsWith("jstomp-writer")) {
            return "jstomp-writer (writer lane)";
        }
        if (thread.startsWith("jstomp-callback")) {
            return "jstomp-callback (subscription lanes)";
        }
        if (thread.startsWith("jstomp")) {
            return "jstomp other";
        }
        if (thread.startsWith("reactor-tcp") || thread.startsWith("reactor-")) {
            return "reactor-netty I/O (jstomp TCP, Spring TCP)";
        }
        if (thread.contains("activemq") || thread.contains("Artemis") || thread.startsWith("Thread-")) {
            return "broker (Artemis)";
        }
        if (thread.startsWith("vert.x")) {
            return "vert.x";
        }
        if (thread.contains("tyrus") || thread.contains("Grizzly") || thread.contains("grizzly")) {
            return "tyrus/grizzly I/O";
        }
        if (thread.startsWith("HttpClient") || thread.startsWith("raw-")) {
            return "raw baselines";
        }
        return "other: " + thread.replaceAll("[-#]?\\d+", "");
    }

    private static final class Stats {
        long total;
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> inclusive = new HashMap<>();
        final Map<String, Long> sites = new HashMap<>();

        void add(List<RecordedFrame> frames, long weight, String allocatedClass) {
            total += weight;
            if (allocatedClass != null) {
                sites.merge(allocatedClass + " <- " + firstOwnFrame(frames), weight, Long::sum);
                return;
            }
            self.merge(name(frames.get(0)), weight, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (interesting(n) && seen.add(n)) {
                    inclusive.merge(n, weight, Long::sum);
                }
            }
        }

        private static String firstOwnFrame(List<RecordedFrame> frames) {
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.")) {
                    return n;
                }
            }
            return name(frames.get(0));
        }

        private static boolean interesting(String n) {
            // Application-level frames only: the event-loop plumbing above them is 100% everywhere.
            return (n.startsWith("dev.jstomp") && !n.startsWith("dev.jstomp.bench"))
                    || n.startsWith("org.springframework") || n.startsWith("org.glassfish.tyrus.core")
                    || n.startsWith("io.vertx.ext.stomp") || n.startsWith("org.apache.activemq.artemis.core.protocol");
        }

        private static String name(RecordedFrame f) {
            return f.getMethod().getType().getName() + "." + f.getMethod().getName();
        }
    }
}
