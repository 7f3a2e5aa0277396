package dev.jstomp.bench.e2e;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import dev.jstomp.bench.e2e.DeployedRunner.Kind;
import dev.jstomp.bench.e2e.DeployedRunner.Result;

/** The Markdown tables of {@link DeployedRunner}: medians over rounds with min..max, ratios within the run. */
final class DeployedTables {

    private final PrintStream out;
    private final List<Result> results;
    private final List<Kind> kinds;
    private final int rounds;

    DeployedTables(PrintStream out, List<Result> results, List<Kind> kinds, int rounds) {
        this.out = out;
        this.results = results;
        this.kinds = kinds;
        this.rounds = rounds;
    }

    void all(long warmup, List<Integer> sizes) {
        out.printf(Locale.ROOT, "## Warm-up %,d messages per client JVM (medians of %d rounds, min..max)%n%n", warmup, rounds);
        out.println("| client | transport | msgs/s | min..max | x raw | x vertx-noreceipt | x spring |"
                + " p50 us | p99 us | p99 min..max | GCs in pings | start-up ms | x vertx | rounds ok |");
        out.println("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        for (Kind k : kinds) {
            double tput = median(k, warmup, "msgs_per_s");
            double startup = median(k, warmup, "startup_ms");
            long ok = results.stream().filter(r -> r.kind().equals(k) && r.warmup() == warmup && r.ok()).count();
            long all = results.stream().filter(r -> r.kind().equals(k) && r.warmup() == warmup).count();
            out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %s | %s | %s | %.0f | %.0f | %s | %s | %.0f | %s | %d/%d |%n",
                    k.client(), k.transport(), tput, range(k, warmup, "msgs_per_s", "%,.0f"),
                    ratio(tput, median(find("raw", k.transport()), warmup, "msgs_per_s")),
                    ratio(tput, median(find("vertx-noreceipt", "tcp"), warmup, "msgs_per_s")),
                    ratio(tput, median(find("spring", k.transport()), warmup, "msgs_per_s")),
                    median(k, warmup, "p50_us"), median(k, warmup, "p99_us"), range(k, warmup, "p99_us", "%.0f"),
                    k.node() ? "-" : String.format(Locale.ROOT, "%.0f", median(k, warmup, "ping_gc_count")),
                    startup, ratio(startup, median(find("vertx", "tcp"), warmup, "startup_ms")), ok, all);
        }
        out.println();
        cost(warmup);
        if (!sizes.isEmpty()) {
            out.println("| client | transport | " + String.join(" | ", sizes.stream()
                    .map(s -> s + " B MB/s | min..max | x raw").toList()) + " |");
            out.println("| --- | --- |" + " ---: | --- | ---: |".repeat(sizes.size()));
            for (Kind k : kinds) {
                StringBuilder line = new StringBuilder("| " + k.client() + " | " + k.transport() + " |");
                for (int s : sizes) {
                    String metric = "size_" + s + "_msgs_per_s";
                    double m = median(k, warmup, metric);
                    line.append(String.format(Locale.ROOT, " %.1f | %s | %s |", m * s / 1e6,
                            range(k, warmup, metric, "%.0f") + " msgs/s",
                            ratio(m, median(find("raw", k.transport()), warmup, metric))));
                }
                out.println(line);
            }
            out.println();
        }
        stages(warmup);
        observability(warmup);
        targets(warmup, sizes);
    }

    private static final List<String> OBSERVED = List.of("jstomp-metrics", "jstomp-observed-0.1", "jstomp-observed");

    /**
     * With jstomp-metrics or jstomp-observed*: their cost against plain jstomp on the same transport. Throughput
     * as the ratio of medians and as the median of each round's ratio (the clients of one round ran back to
     * back, so load that changes slowly cancels); CPU time and allocation of the client JVM per message.
     */
    private void observability(long warmup) {
        if (kinds.stream().noneMatch(k -> OBSERVED.contains(k.client()))) {
            return;
        }
        out.println("| transport | client | msgs/s | x jstomp (medians) | x jstomp (median of rounds) | CPU us/msg |"
                + " min..max | CPU + us vs jstomp | alloc B/msg | + B vs jstomp | <= 5% less throughput | rounds ok |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |");
        for (String transport : List.of("tcp", "ws")) {
            Kind base = find("jstomp", transport);
            if (base == null) {
                continue;
            }
            double baseTput = median(base, warmup, "msgs_per_s");
            double baseCpu = median(base, warmup, "cpu_us_per_msg");
            double baseAlloc = median(base, warmup, "alloc_b_per_msg");
            for (String client : java.util.stream.Stream.concat(java.util.stream.Stream.of("jstomp"), OBSERVED.stream())
                    .toList()) {
                Kind k = find(client, transport);
                if (k == null) {
                    continue;
                }
                double tput = median(k, warmup, "msgs_per_s");
                double paired = pairedRatio(k, base, warmup, "msgs_per_s");
                double cpu = median(k, warmup, "cpu_us_per_msg");
                double alloc = median(k, warmup, "alloc_b_per_msg");
                long ok = results.stream().filter(r -> r.kind().equals(k) && r.warmup() == warmup && r.ok()).count();
                long all = results.stream().filter(r -> r.kind().equals(k) && r.warmup() == warmup).count();
                boolean isBase = k.equals(base);
                out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %s | %.2f | %s | %s | %.0f | %s | %s | %d/%d |%n",
                        transport, client, tput, ratio(tput, baseTput),
                        Double.isNaN(paired) ? "-" : String.format(Locale.ROOT, "%.2fx", paired), cpu,
                        range(k, warmup, "cpu_us_per_msg", "%.2f"),
                        isBase ? "-" : String.format(Locale.ROOT, "%+.2f", cpu - baseCpu), alloc,
                        isBase ? "-" : String.format(Locale.ROOT, "%+.0f", alloc - baseAlloc),
                        isBase ? "-" : tput / baseTput >= 0.95 && (Double.isNaN(paired) || paired >= 0.95) ? "yes" : "no",
                        ok, all);
            }
        }
        out.println();
    }

    /**
     * What the client's process spent per message of the timed 128 B run: CPU (all its threads) and bytes
     * allocated. Unlike msgs/s these hardly move with what else runs on the machine.
     */
    private void cost(long warmup) {
        List<Kind> measured = kinds.stream().filter(k -> !Double.isNaN(median(k, warmup, "cpu_us_per_msg"))).toList();
        if (measured.isEmpty()) {
            return;
        }
        out.println("| client | transport | client CPU us/msg | min..max | x raw | kernel share | context switches/msg |"
                + " allocated B/msg |");
        out.println("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: |");
        for (Kind k : measured) {
            double cpu = median(k, warmup, "cpu_us_per_msg");
            out.printf(Locale.ROOT, "| %s | %s | %.2f | %s | %s | %.2f | %.2f | %.0f |%n", k.client(), k.transport(), cpu,
                    range(k, warmup, "cpu_us_per_msg", "%.2f"),
                    ratio(cpu, median(find("raw", k.transport()), warmup, "cpu_us_per_msg")),
                    median(k, warmup, "sys_cpu_share"), median(k, warmup, "ctx_switches_per_msg"),
                    median(k, warmup, "alloc_b_per_msg"));
        }
        out.println();
    }

    /** The median over rounds of (k's value / base's value in the same round). */
    private double pairedRatio(Kind k, Kind base, long warmup, String metric) {
        double[] ratios = results.stream().filter(r -> r.ok() && r.kind().equals(k) && r.warmup() == warmup)
                .mapToDouble(r -> {
                    double b = results.stream().filter(o -> o.ok() && o.kind().equals(base) && o.warmup() == warmup
                            && o.round() == r.round()).mapToDouble(o -> o.get(metric)).findFirst().orElse(Double.NaN);
                    return r.get(metric) / b;
                }).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return Tables.median(ratios);
    }

    /** With --stages: jstomp's round trip by stage, for the median ping and the slowest 1%. */
    private void stages(long warmup) {
        List<Kind> staged = kinds.stream().filter(k -> !Double.isNaN(median(k, warmup, "stage_tail_total_us"))).toList();
        if (staged.isEmpty()) {
            return;
        }
        out.println("| client | transport | pings | writer us | network + broker us | callback hop us | total us |");
        out.println("| --- | --- | --- | ---: | ---: | ---: | ---: |");
        for (Kind k : staged) {
            for (String which : List.of("mid", "tail")) {
                out.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %.0f | %.0f | %.0f |%n", k.client(), k.transport(),
                        which.equals("mid") ? "around the median" : "slowest 1%",
                        median(k, warmup, "stage_" + which + "_writer_us"), median(k, warmup, "stage_" + which + "_network_us"),
                        median(k, warmup, "stage_" + which + "_callback_hop_us"), median(k, warmup, "stage_" + which + "_total_us"));
            }
        }
        out.println();
    }

    private void targets(long warmup, List<Integer> sizes) {
        out.println("| target | measured | met |");
        out.println("| --- | ---: | --- |");
        target(warmup, "TCP >= 0.85x raw", "jstomp", "tcp", "msgs_per_s", "raw", "tcp", 0.85, true);
        target(warmup, "TCP >= 1.25x vertx-noreceipt", "jstomp", "tcp", "msgs_per_s", "vertx-noreceipt", "tcp", 1.25, true);
        target(warmup, "WS >= 0.80x raw", "jstomp", "ws", "msgs_per_s", "raw", "ws", 0.80, true);
        target(warmup, "WS >= 2x spring", "jstomp", "ws", "msgs_per_s", "spring", "ws", 2.0, true);
        for (String t : List.of("tcp", "ws")) {
            target(warmup, t.toUpperCase(Locale.ROOT) + " p50 <= raw", "jstomp", t, "p50_us", "raw", t, 1.0, false);
            target(warmup, t.toUpperCase(Locale.ROOT) + " p99 <= 1.5x raw", "jstomp", t, "p99_us", "raw", t, 1.5, false);
        }
        target(warmup, "TCP p99 <= vertx-noreceipt", "jstomp", "tcp", "p99_us", "vertx-noreceipt", "tcp", 1.0, false);
        for (int s : sizes) {
            for (String t : List.of("tcp", "ws")) {
                target(warmup, t.toUpperCase(Locale.ROOT) + " " + s + " B >= 0.9x raw", "jstomp", t,
                        "size_" + s + "_msgs_per_s", "raw", t, 0.9, true);
            }
        }
        for (String t : List.of("tcp", "ws")) {
            target(warmup, t.toUpperCase(Locale.ROOT) + " start-up <= 1.5x vertx (tcp)", "jstomp", t, "startup_ms",
                    "vertx", "tcp", 1.5, false);
        }
        out.println();
    }

    private void target(long warmup, String name, String client, String transport, String metric, String otherClient,
            String otherTransport, double bound, boolean atLeast) {
        Kind k = find(client, transport);
        Kind o = find(otherClient, otherTransport);
        if (k == null || o == null) {
            return;
        }
        double r = median(k, warmup, metric) / median(o, warmup, metric);
        if (Double.isNaN(r)) {
            return;
        }
        boolean met = atLeast ? r >= bound : r <= bound;
        out.printf(Locale.ROOT, "| %s | %.2fx | %s |%n", name, r, met ? "yes" : "no");
    }

    private Kind find(String client, String transport) {
        return kinds.stream().filter(k -> k.client().equals(client) && k.transport().equals(transport))
                .findFirst().orElse(null);
    }

    private double[] values(Kind k, long warmup, String metric) {
        if (k == null) {
            return new double[0];
        }
        return results.stream().filter(r -> r.ok() && r.kind().equals(k) && r.warmup() == warmup)
                .mapToDouble(r -> r.get(metric)).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    private double median(Kind k, long warmup, String metric) {
        return Tables.median(values(k, warmup, metric));
    }

    private String range(Kind k, long warmup, String metric, String format) {
        double[] v = values(k, warmup, metric);
        if (v.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, format, v[0]) + ".." + String.format(Locale.ROOT, format, v[v.length - 1]);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
    }
}
