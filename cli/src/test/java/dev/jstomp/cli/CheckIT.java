package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code jstomp check} against the embedded Artemis: every row passes, over TCP and WebSocket. */
class CheckIT {

    private static final int CHECKS = Checklist.all().size();
    private static final Pattern ROW = Pattern.compile("^(.{31}) (PASS|FAIL|SKIP) +\\d+ ms  .*$");

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @Test
    void everyCheckPassesOverTcp() {
        assertAllPass(Cli.run(broker.args("check", broker.tcpUrl(), "--forbidden-destination", "/queue/forbidden.check")));
    }

    @Test
    void everyCheckPassesOverWebSocket() {
        assertAllPass(Cli.run(broker.args("check", broker.wsUrl(), "--forbidden-destination", "/queue/forbidden.check")));
    }

    @Test
    void withoutUrlChecksAnEmbeddedArtemisOverBothTransportsAndWritesJson() {
        Cli.Result r = Cli.run("check", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).startsWith("Started embedded Artemis");
        assertThat(Json.pretty(r.out())).as("standard output is one JSON document: " + r.out()).isNotNull();
        assertThat(r.out()).contains("\"passed\": true", "\"transport\": \"TCP\"", "\"transport\": \"WebSocket\"",
                "\"summary\": {\"pass\": " + CHECKS + ", \"fail\": 0, \"skip\": 0}")
                .doesNotContain("\"status\": \"FAIL\"").doesNotContain("\"status\": \"SKIP\"");
    }

    @Test
    void aFailingCheckMeansExitOneAndTheBrokersAnswer(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        // /queue/allowed is not forbidden, so the broker accepts the SEND: that check must fail.
        Cli.Result r = Cli.run(broker.args("check", broker.tcpUrl(), "--forbidden-destination", "/queue/allowed",
                "--json=" + json));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Exit.FAILURE);
        assertThat(r.out()).containsPattern("ERROR on forbidden destination +FAIL .*accepted the SEND to /queue/allowed")
                .contains("1 failed").contains("Results written to " + json);
        String document = Files.readString(json);
        assertThat(Json.pretty(document)).isNotNull();
        assertThat(document).contains("\"passed\": false", "\"status\": \"FAIL\"");
    }

    @Test
    void aBrokerThatRefusesTheLoginGetsOneLineNotATable() {
        // Artemis refuses a login-less CONNECT, so this fails at once with one line instead of 19 failed rows.
        Cli.Result r = Cli.run("check", broker.tcpUrl());
        assertThat(r.exitCode()).isEqualTo(Exit.FAILURE);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("refused CONNECT");
    }

    /** A cluster's nodes: each is checked, one table per node; an unreachable one is one line and a failure. */
    @Test
    void severalUrlsGetOneTableEachAndAnUnreachableNodeFailsTheRun() throws Exception {
        int dead;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        String deadUrl = "tcp://127.0.0.1:" + dead;
        Cli.Result r = Cli.run(broker.args("check", broker.tcpUrl(), deadUrl, broker.wsUrl(),
                "--forbidden-destination", "/queue/forbidden.check", "--json=-"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Exit.FAILURE);
        assertThat(r.out()).as(r.toString()).contains("\"passed\": false", "\"transport\": \"TCP\"",
                "\"transport\": \"WebSocket\"", "\"url\": \"" + deadUrl + "\"", "\"name\": \"connect\"");

        Cli.Result tables = Cli.run(broker.args("check", broker.tcpUrl(), deadUrl, broker.wsUrl(),
                "--forbidden-destination", "/queue/forbidden.check"));
        assertThat(tables.exitCode()).isEqualTo(Exit.FAILURE);
        assertThat(tables.out()).as(tables.toString())
                .containsOnlyOnce("Checking " + broker.tcpUrl() + " (TCP)")
                .containsOnlyOnce("Checking " + broker.wsUrl() + " (WebSocket)")
                .contains(deadUrl + ": not checked: ");
        List<String> rows = tables.outLines().stream().filter(line -> ROW.matcher(line).matches()).toList();
        assertThat(rows).as("a full table for each live node").hasSize(2 * CHECKS)
                .allMatch(row -> row.contains(" PASS "));
    }

    private static void assertAllPass(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> rows = r.outLines().stream().filter(line -> ROW.matcher(line).matches()).toList();
        assertThat(rows).as(r.toString()).hasSize(CHECKS).allMatch(row -> row.contains(" PASS "));
        assertThat(r.out()).contains(CHECKS + " checks: " + CHECKS + " passed, 0 failed, 0 skipped");
        assertThat(r.out()).contains("protocol versions", "heart-beats flowing", "receipts", "header escaping",
                "UTF-8 body", "binary body with NUL", "1 MiB body", "transaction commit", "transaction abort",
                "ack (client-individual)", "nack (client, cumulative)", "unsubscribe",
                "ERROR on forbidden destination", "ERROR on bad credentials", "DISCONNECT receipt");
    }
}
