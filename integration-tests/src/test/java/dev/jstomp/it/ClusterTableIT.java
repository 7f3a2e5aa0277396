package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * After the cluster failover tests (and before CompatibilityTableIT): the README's cluster table (between
 * {@value ClusterReport#START} and {@value ClusterReport#END}) must be this run's, compared when every
 * scenario ran; {@code -Djstomp.updateCompatibility=true} rewrites it.
 */
@Order(Integer.MAX_VALUE - 1)
class ClusterTableIT {

    @Test
    void readmeClusterTableIsCurrent() throws IOException {
        Path readmePath = Path.of(System.getProperty("jstomp.readme", "../README.md"));
        String readme = Files.readString(readmePath, StandardCharsets.UTF_8);
        int start = readme.indexOf(ClusterReport.START);
        int end = readme.indexOf(ClusterReport.END);
        assertThat(start).as("README markers %s ... %s", ClusterReport.START, ClusterReport.END).isNotNegative();
        assertThat(end).isGreaterThan(start);
        Assumptions.assumeTrue(ClusterReport.complete(),
                "Not every cluster scenario ran (a cluster was unreachable or tests were filtered); not compared");
        String fresh = ClusterReport.table();
        if (Boolean.getBoolean("jstomp.updateCompatibility")) {
            Files.writeString(readmePath, readme.substring(0, start + ClusterReport.START.length()) + "\n" + fresh
                    + "\n" + readme.substring(end), StandardCharsets.UTF_8);
            return;
        }
        assertThat(readme.substring(start + ClusterReport.START.length(), end).strip())
                .as("The README's cluster table is stale; regenerate it with `%s`", CompatibilityTable.REGENERATE)
                .isEqualTo(fresh);
    }
}
