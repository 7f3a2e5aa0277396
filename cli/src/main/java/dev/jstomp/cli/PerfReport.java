package dev.jstomp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a {@code jstomp perf} run, and its three forms beside the summary on standard output:
 * JSON, and a self-contained HTML page (inline script drawing SVG charts; nothing fetched from the network).
 */
final class PerfReport {

    /** Latency percentiles in microseconds. */
    record Latency(long count, long p50, long p90, long p99, long p999, long max, double mean,
            List<double[]> distribution) {

        static Latency of(Histogram h) {
            List<double[]> points = new ArrayList<>();
            if (h.getTotalCount() > 0) {
                for (HistogramIterationValue v : h.percentiles(5)) {
                    double p = v.getPercentileLevelIteratedTo();
                    points.add(new double[] {p, h.highestEquivalentValue(v.getValueIteratedTo())});
                    if (p >= 100.0) {
                        break;
                    }
                }
            }
            return new Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
                    h.getTotalCount() == 0 ? 0 : h.getMean(), points);
        }
    }

    /** Everything the outputs show. */
    record Summary(PerfSettings settings, List<String> urls, String transport, long sent, long received,
            long expected, long warmupSent, long receipts, long errors, double seconds, double sendSeconds, double msgsPerSecond,
            double sentPerSecond, Latency latency, @Nullable Latency intended, List<PerfStats.Interval> intervals,
            double cpuMicrosPerMessage) {

        long missing() {
            return Math.max(0, expected - received);
        }
    }

    private PerfReport() {
    }

    static Summary summary(PerfSettings s, PerfStats stats, long sendEnd, List<String> urls, String transport) {
        long from = stats.measuredFrom();
        long lastReceive = Math.max(stats.lastReceiveNanos(), from);
        double seconds = Math.max(1, lastReceive - from) / 1e9;
        double sendSeconds = Math.max(1, sendEnd - from) / 1e9;
        long sent = stats.sentMeasured();
        long received = stats.receivedMeasured();
        Histogram intended = stats.totalIntended();
        long cpu = stats.cpuNanosMeasured();
        // The load generator's own cost, which other loads on the machine disturb less than its rates.
        double cpuPerMessage = cpu < 0 || received == 0 ? -1 : cpu / 1e3 / received;
        return new Summary(s, urls, transport, sent, received, stats.expectedMeasured(), stats.sentInWarmup(),
                stats.receipts.sum(), stats.errors.sum(), seconds, sendSeconds, received / seconds, sent / sendSeconds,
                Latency.of(stats.totalLatency()), intended == null ? null : Latency.of(intended), stats.intervals(),
                cpuPerMessage);
    }

    static void print(PrintWriter out, Summary r) {
        out.println(String.format(Locale.ROOT, "Sent %s, received %s of %s expected%s; %,.0f msgs/s out (%.2f s), "
                        + "%,.0f msgs/s in, %.1f MB/s (%.2f s)%s",
                Texts.count(r.sent()), Texts.count(r.received()), Texts.count(r.expected()),
                r.missing() > 0 ? " (" + Texts.count(r.missing()) + " missing)" : "", r.sentPerSecond(), r.sendSeconds(),
                r.msgsPerSecond(), r.msgsPerSecond() * r.settings().size() / 1e6, r.seconds(),
                !r.settings().warmsUp() ? "" : " (after a warm-up of " + Texts.count(r.warmupSent()) + ")"));
        if (r.settings().persistent()) {
            out.println("Receipts: " + Texts.count(r.receipts()) + ", failed SENDs: " + Texts.count(r.errors()));
        }
        out.println("Latency, send to receive:         " + line(r.latency()));
        if (r.intended() != null) {
            out.println("Latency, from intended send time: " + line(r.intended()) + " (corrected for coordinated omission)");
        }
        if (r.cpuMicrosPerMessage() >= 0) {
            out.println(String.format(Locale.ROOT, "CPU of this JVM while measuring: %.1f us per message received",
                    r.cpuMicrosPerMessage()));
        }
        out.flush();
    }

    private static String line(Latency l) {
        return "p50 " + micros(l.p50()) + ", p90 " + micros(l.p90()) + ", p99 " + micros(l.p99()) + ", p99.9 "
                + micros(l.p999()) + ", max " + micros(l.max()) + " (" + Texts.plural(l.count(), "sample") + ")";
    }

    /** "850 us", "12.3 ms", "1.20 s". */
    static String micros(long us) {
        if (us < 1_000) {
            return us + " us";
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f s", us / 1e6);
    }

    static String json(Summary r) {
        PerfSettings s = r.settings();
        StringBuilder b = new StringBuilder("{\n");
        field(b, "sent", r.sent());
        field(b, "received", r.received());
        field(b, "expected", r.expected());
        field(b, "missing", r.missing());
        field(b, "warmup_sent", r.warmupSent());
        field(b, "msgs_per_s", round(r.msgsPerSecond()));
        field(b, "sent_per_s", round(r.sentPerSecond()));
        field(b, "mb_per_s", round(r.msgsPerSecond() * s.size() / 1e6));
        field(b, "seconds", round(r.seconds()));
        field(b, "send_seconds", round(r.sendSeconds()));
        field(b, "receipts", r.receipts());
        field(b, "failed_sends", r.errors());
        field(b, "cpu_us_per_msg", r.cpuMicrosPerMessage() < 0 ? "null" : round(r.cpuMicrosPerMessage()));
        b.append("  \"latency_us\": ").append(latency(r.latency())).append(",\n");
        if (r.intended() != null) {
            b.append("  \"intended_latency_us\": ").append(latency(r.intended())).append(",\n");
        }
        b.append("  \"settings\": {\"producers\": ").append(s.producers()).append(", \"consumers\": ").append(s.consumers())
                .append(", \"connections\": ").append(s.connections()).append(", \"rate_per_producer\": ").append(round(s.rate()))
                .append(", \"duration_s\": ").append(s.duration() == null ? "null" : round(s.duration().toMillis() / 1e3))
                .append(", \"messages\": ").append(s.messages() == null ? "null" : s.messages())
                .append(", \"warmup_s\": ").append(round(s.warmup().toMillis() / 1e3))
                .append(", \"warmup_messages\": ").append(s.warmupMessages())
                .append(", \"size\": ").append(s.size()).append(", \"destinations\": ").append(s.destinations())
                .append(", \"destination_type\": ").append(Json.quote(s.topic() ? "topic" : "queue"))
                .append(", \"destination\": ").append(Json.quote(s.prefix()))
                .append(", \"ack\": ").append(Json.quote(s.ack())).append(", \"persistent\": ").append(s.persistent())
                .append(", \"max_in_flight\": ").append(s.maxInFlight())
                .append(", \"heartbeat_ms\": [").append(s.heartbeatOut()).append(", ").append(s.heartbeatIn()).append("]")
                .append(", \"transport\": ").append(Json.quote(r.transport()))
                .append(", \"urls\": [").append(String.join(", ", r.urls().stream().map(Json::quote).toList())).append("]},\n");
        b.append("  \"intervals\": [");
        for (int i = 0; i < r.intervals().size(); i++) {
            PerfStats.Interval v = r.intervals().get(i);
            b.append(i == 0 ? "\n    " : ",\n    ").append(String.format(Locale.ROOT,
                    "{\"t\": %.3f, \"sent_per_s\": %.1f, \"received_per_s\": %.1f, \"p50\": %d, \"p90\": %d, \"p99\": %d, "
                            + "\"p999\": %d, \"max\": %d, \"in_flight\": %d, \"connections_up\": %d, \"warmup\": %b}",
                    v.seconds(), v.sentPerSecond(), v.receivedPerSecond(), v.p50(), v.p90(), v.p99(), v.p999(), v.max(),
                    v.inFlight(), v.connectionsUp(), v.warmup()));
        }
        b.append("\n  ]\n}\n");
        return b.toString();
    }

    private static void field(StringBuilder b, String name, Object value) {
        b.append("  ").append(Json.quote(name)).append(": ").append(value).append(",\n");
    }

    private static String round(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String latency(Latency l) {
        StringBuilder points = new StringBuilder();
        for (double[] p : l.distribution()) {
            points.append(points.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%.6f, %.0f]", p[0], p[1]));
        }
        return String.format(Locale.ROOT, "{\"count\": %d, \"p50\": %d, \"p90\": %d, \"p99\": %d, \"p999\": %d, "
                + "\"max\": %d, \"mean\": %.1f, \"distribution\": [%s]}", l.count(), l.p50(), l.p90(), l.p99(), l.p999(),
                l.max(), l.mean(), points);
    }

    static void writeJson(Path file, Summary r) {
        write(file, json(r), "--json");
    }

    /** The page: the template with the run's JSON in a script block (a "</" cannot end it early). */
    static void writeHtml(Path file, Summary r) {
        String template;
        try (InputStream in = PerfReport.class.getResourceAsStream("perf-report.html")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the report template is missing from the jar", e);
        }
        String title = "jstomp perf: " + r.settings().describe();
        String page = template.replace("{{TITLE}}", title.replace("&", "&amp;").replace("<", "&lt;"))
                .replace("{{DATA}}", json(r).replace("</", "<\\/"));
        write(file, page, "--report");
    }

    private static void write(Path file, String text, String option) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(option + ": cannot write " + file + ": " + e.getMessage());
        }
    }
}
