package dev.jstomp.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jstomp check [URL...]}: the broker test harness. Runs the checklist and prints one row per check;
 * exits 0 only when nothing failed. Without a URL it checks an embedded Artemis over TCP and WebSocket;
 * with several (the nodes of a cluster) it checks each node in turn, one table per node, and a node that
 * cannot be reached at all gets one line and counts as failed while the others are still checked.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Run a checklist against a broker and print PASS/FAIL/SKIP per check: protocol versions, "
                + "heart-beats, round trip, receipts, header escaping, UTF-8 and binary bodies, 1 MiB body, "
                + "transactions, ack/nack, unsubscribe, ERROR frames, DISCONNECT receipt.",
            "Exit code 0 only when nothing failed. Without URL: an embedded Artemis, over TCP and WebSocket. "
                + "Several URLs (a cluster's nodes): each node is checked, one table per node."})
final class CheckCommand implements Callable<Integer> {

    /** What the embedded broker forbids: its {@code forbidden.#} addresses. */
    static final String EMBEDDED_FORBIDDEN = "/queue/forbidden.check";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(arity = "0..*", paramLabel = "URL",
            description = "The broker, or each node of a cluster; none for an embedded Artemis.")
    private List<String> urls = new ArrayList<>();

    @Option(names = "--destination-prefix", paramLabel = "PREFIX", defaultValue = "/queue/",
            description = "Prefix of the destinations the checks use: /queue/ (default), /amq/queue/ or "
                    + "/exchange/NAME/ on RabbitMQ, ...")
    private String prefix;

    @Option(names = "--forbidden-destination", paramLabel = "DEST",
            description = "A destination the login may not send to, for the ERROR check (embedded broker: "
                    + EMBEDDED_FORBIDDEN + "); without it that check is skipped.")
    private @Nullable String forbidden;

    @Option(names = "--json", paramLabel = "FILE", arity = "0..1", fallbackValue = "-",
            description = "Write the results as JSON: to FILE, or alone to standard output instead of the table.")
    private @Nullable String json;

    @Override
    public Integer call() throws IOException {
        boolean jsonToStdout = "-".equals(json);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter table = jsonToStdout ? new PrintWriter(new StringWriter()) : out;
        List<CheckRun> runs = new ArrayList<>();
        if (urls.size() > 1) {
            urls.forEach(BrokerUrl::check); // every URL is valid before any node is checked
            for (String node : urls) {
                try (BrokerTarget target = BrokerTarget.resolve(node, out)) {
                    Connector connector = connection.connector(target, err);
                    try {
                        preflight(connector.withUrl(node));
                    } catch (CliException unreachable) {
                        table.println();
                        table.println(BrokerUrl.safe(node) + ": not checked: " + unreachable.getMessage());
                        runs.add(new CheckRun(BrokerUrl.safe(node), BrokerUrl.check(node).label(),
                                connector.login(), List.of(new CheckResult("connect", CheckResult.Status.FAIL, 0,
                                        unreachable.getMessage())), 0));
                        continue;
                    }
                    runs.add(run(connector, node, forbidden, table));
                }
            }
        } else {
            try (BrokerTarget target = BrokerTarget.resolve(urls.isEmpty() ? null : urls.get(0),
                    jsonToStdout ? err : out)) {
                Connector connector = connection.connector(target, err);
                String forbiddenDestination = forbidden != null ? forbidden
                        : target.embedded() ? EMBEDDED_FORBIDDEN : null;
                List<String> targets = target.embedded() ? List.of(target.tcpUrl(), target.webSocketUrl())
                        : List.of(target.url());
                for (String each : targets) {
                    preflight(connector.withUrl(each));
                    runs.add(run(connector, each, forbiddenDestination, table));
                }
            }
        }
        if (json != null) {
            String document = CheckReport.json(runs);
            if (jsonToStdout) {
                out.print(document);
                out.flush();
            } else {
                Files.writeString(Path.of(json), document, StandardCharsets.UTF_8);
                out.println("Results written to " + json);
            }
        }
        return runs.stream().allMatch(CheckRun::passed) ? Exit.OK : Exit.FAILURE;
    }

    /** A broker that cannot be reached at all gets one line, not a table of nineteen failures. */
    private static void preflight(Connector connector) {
        try (Session session = connector.session("check").open()) {
            session.client().disconnect();
        }
    }

    private CheckRun run(Connector connector, String target, @Nullable String forbiddenDestination, PrintWriter table) {
        String transport = BrokerUrl.check(target).label();
        Connector forUrl = connector.withUrl(target);
        CheckContext context = new CheckContext(forUrl, prefix, forbiddenDestination, connection.headers());
        CheckReport.heading(table, target, transport, forUrl.login());
        long start = System.nanoTime();
        List<CheckResult> results = new ArrayList<>();
        for (Checklist.Check check : Checklist.all()) {
            CheckResult result = Checklist.run(check, context);
            results.add(result);
            CheckReport.row(table, result);
        }
        CheckRun run = new CheckRun(target, transport, forUrl.login(), results, (System.nanoTime() - start) / 1_000_000);
        CheckReport.summary(table, run);
        return run;
    }
}
