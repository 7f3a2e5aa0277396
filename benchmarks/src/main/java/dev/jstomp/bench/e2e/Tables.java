package dev.jstomp.bench.e2e;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Markdown tables of medians over rounds, as pasted into BENCHMARKS.md. */
final class Tables {

    private Tables() {
    }

    static void throughput(PrintStream out, List<Row> rows, List<ClientKind> kinds, int bodySize, long n, int rounds) {
        out.printf(Locale.ROOT, "Medians of %d rounds, %,d messages of %,d bytes (MB/s = 10^6 body bytes per second; "
                + "ratios are of medians, same transport; 'sends done' is when the producer's last send call returned, "
                + "'last receive' when the consumer had them all, both from the first send)%n%n", rounds, n, bodySize);
        out.println("| transport | client | msgs/s | MB/s | vs raw | vs jstomp | sends done (s) | last receive (s) | each round (msgs/s) | load (1 min) |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        for (ClientKind kind : kinds) {
            double median = median(rows, kind, Row::msgsPerSec);
            double raw = median(rows, find(kinds, ClientKind.BASELINE, kind.transport()), Row::msgsPerSec);
            double jstomp = median(rows, find(kinds, ClientKind.JSTOMP, kind.transport()), Row::msgsPerSec);
            out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.2f | %s | %s | %.2f | %.2f | %s | %s |%n", kind.transport(),
                    kind.client(), median, median * bodySize / 1e6, ratio(median, raw), ratio(median, jstomp),
                    median(rows, kind, r -> r.sendSeconds), median(rows, kind, r -> r.seconds),
                    each(rows, kind, r -> r.msgsPerSec, "%,.0f"), each(rows, kind, r -> r.load1, "%.2f"));
        }
        out.println();
    }

    static void latency(PrintStream out, List<Row> rows, List<ClientKind> kinds, int pings, int rounds) {
        out.printf(Locale.ROOT, "Round trip through the broker, one message in flight, %,d pings; medians of %d rounds "
                + "(ratios: p50 and p99 over raw Spring's, same transport; below 1 is faster)%n%n", pings, rounds);
        out.println("| transport | client | p50 (us) | p99 (us) | max (us) | p50 vs spring | p99 vs spring | p50 each round | p99 each round |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        for (ClientKind kind : kinds) {
            ClientKind spring = find(kinds, "spring", kind.transport());
            double p50 = median(rows, kind, r -> r.p50Us);
            double p99 = median(rows, kind, r -> r.p99Us);
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %s | %s | %s | %s |%n", kind.transport(), kind.client(),
                    p50, p99, median(rows, kind, r -> r.maxUs), ratio(p50, median(rows, spring, r -> r.p50Us)),
                    ratio(p99, median(rows, spring, r -> r.p99Us)),
                    each(rows, kind, r -> r.p50Us, "%.0f"), each(rows, kind, r -> r.p99Us, "%.0f"));
        }
        out.println();
    }

    private static ClientKind find(List<ClientKind> kinds, String client, String transport) {
        return kinds.stream().filter(k -> k.client().equals(client) && k.transport().equals(transport))
                .findFirst().orElse(null);
    }

    static double median(List<Row> rows, ClientKind kind, ToDoubleFunction<Row> metric) {
        if (kind == null) {
            return Double.NaN;
        }
        double[] values = rows.stream().filter(r -> matches(r, kind) && r.ok()).mapToDouble(metric).sorted().toArray();
        return median(values);
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static boolean matches(Row r, ClientKind kind) {
        return r.client.equals(kind.client()) && r.transport.equals(kind.transport());
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
    }

    private static String each(List<Row> rows, ClientKind kind, ToDoubleFunction<Row> metric, String format) {
        return rows.stream().filter(r -> matches(r, kind))
                .sorted((a, b) -> Integer.compare(a.round, b.round))
                .map(r -> r.ok() ? String.format(Locale.ROOT, format, metric.applyAsDouble(r)) : "FAILED")
                .collect(Collectors.joining(" / "));
    }
}
