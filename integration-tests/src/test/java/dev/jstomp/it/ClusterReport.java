package dev.jstomp.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster failover figures of this run, as a Markdown table in {@code target/cluster-failover.md} (one
 * row per scenario, rewritten as each finishes), from which the README's cluster figures are taken. A
 * scenario is recorded before its assertions run, so a failing one leaves its figures too.
 */
final class ClusterReport {

    private static final Map<String, String> ROWS = new TreeMap<>();

    private ClusterReport() {
    }

    static synchronized void record(String scenario, ClusterWorkload run, List<ClusterWorkload.Kill> kills) {
        StringBuilder figures = new StringBuilder();
        for (ClusterWorkload.Kill kill : kills) {
            figures.append(figures.isEmpty() ? "" : "; ").append(kill);
        }
        List<Integer> lost = run.receiptedNotConsumed();
        ROWS.put(scenario, "| " + scenario + " | " + run.receiptedCount() + " | " + lost.size() + " | "
                + run.duplicates() + " | " + figures + " |");
        write();
    }

    private static void write() {
        StringBuilder table = new StringBuilder("| Scenario | Receipted | Receipted but not consumed | Duplicates "
                + "| Kill to next delivery / to reconnect |\n| --- | --- | --- | --- | --- |\n");
        ROWS.values().forEach(row -> table.append(row).append('\n'));
        Path out = Path.of(System.getProperty("jstomp.compatibility.out", "target/compatibility.md"))
                .resolveSibling("cluster-failover.md");
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
