package dev.jstomp.cli;

import java.io.PrintWriter;
import java.util.List;

/** Writes check results: a table for people, JSON for CI. */
final class CheckReport {

    private static final int NAME_WIDTH = 31;

    private CheckReport() {
    }

    /** The table's heading for a run, printed before its rows. */
    static void heading(PrintWriter out, String url, String transport, String login) {
        out.println();
        out.println("Checking " + BrokerUrl.safe(url) + " (" + transport + ")"
                + (login == null ? " without a login" : " as " + login));
        out.println(pad("CHECK", NAME_WIDTH) + " RESULT     TIME  DETAIL");
        out.flush();
    }

    /** One row, printed as soon as its check ends. */
    static void row(PrintWriter out, CheckResult r) {
        out.println(pad(r.name(), NAME_WIDTH) + " " + pad(r.status().name(), 6) + " "
                + String.format("%6d ms", r.millis()) + "  " + r.detail());
        out.flush();
    }

    /** The closing line of a run. */
    static void summary(PrintWriter out, CheckRun run) {
        out.println(Texts.plural(run.results().size(), "check") + ": " + run.count(CheckResult.Status.PASS) + " passed, "
                + run.count(CheckResult.Status.FAIL) + " failed, " + run.count(CheckResult.Status.SKIP) + " skipped ("
                + Texts.duration(java.time.Duration.ofMillis(run.millis())) + ")");
        out.flush();
    }

    /** All runs as one JSON document. */
    static String json(List<CheckRun> runs) {
        boolean passed = runs.stream().allMatch(CheckRun::passed);
        StringBuilder json = new StringBuilder();
        json.append("{\n  \"tool\": \"jstomp check\",\n  \"passed\": ").append(passed).append(",\n  \"runs\": [");
        for (int i = 0; i < runs.size(); i++) {
            CheckRun run = runs.get(i);
            json.append(i == 0 ? "\n" : ",\n");
            json.append("    {\n");
            json.append("      \"url\": ").append(Json.quote(BrokerUrl.safe(run.url()))).append(",\n");
            json.append("      \"transport\": ").append(Json.quote(run.transport())).append(",\n");
            json.append("      \"login\": ").append(run.login() == null ? "null" : Json.quote(run.login())).append(",\n");
            json.append("      \"passed\": ").append(run.passed()).append(",\n");
            json.append("      \"millis\": ").append(run.millis()).append(",\n");
            json.append("      \"summary\": {\"pass\": ").append(run.count(CheckResult.Status.PASS))
                    .append(", \"fail\": ").append(run.count(CheckResult.Status.FAIL))
                    .append(", \"skip\": ").append(run.count(CheckResult.Status.SKIP)).append("},\n");
            json.append("      \"checks\": [");
            List<CheckResult> results = run.results();
            for (int j = 0; j < results.size(); j++) {
                CheckResult r = results.get(j);
                json.append(j == 0 ? "\n" : ",\n");
                json.append("        {\"name\": ").append(Json.quote(r.name()))
                        .append(", \"status\": ").append(Json.quote(r.status().name()))
                        .append(", \"millis\": ").append(r.millis())
                        .append(", \"detail\": ").append(Json.quote(r.detail())).append('}');
            }
            json.append("\n      ]\n    }");
        }
        json.append("\n  ]\n}\n");
        return json.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
