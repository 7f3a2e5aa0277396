package dev.jstomp.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jstomp demo}: the chat room played out on an embedded Artemis (or a given broker), as a transcript. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        customSynopsis = "jstomp demo [OPTIONS] [URL [TCP_URL]]",
        description = {"Play out a chat room: three users join (two over WebSocket, one over TCP), talk, use a "
                + "committed and an aborted transaction, and share a work queue with client acks and a NACK.",
            "Without URL: an embedded Artemis. With URL: alice and bob use URL, carol uses TCP_URL (default URL)."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(arity = "0..2", paramLabel = "URL", hidden = true)
    private List<String> urls = new ArrayList<>();

    @Option(names = "--room", paramLabel = "DEST", defaultValue = "/topic/chat.room",
            description = "The chat room's destination, a topic (default: ${DEFAULT-VALUE}).")
    private String room;

    @Option(names = "--work-queue", paramLabel = "DEST",
            description = "The work queue (default: a new /queue/chat.jobs.RUN, so reruns start empty).")
    private String workQueue;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String queue = workQueue != null ? workQueue : "/queue/chat.jobs." + RunId.next();
        if (urls.size() == 2) {
            BrokerUrl.check(urls.get(1));
        }
        try (BrokerTarget target = BrokerTarget.resolve(urls.isEmpty() ? null : urls.get(0), out)) {
            String primary = target.embedded() ? target.webSocketUrl() : target.url();
            String tcp = target.embedded() ? target.tcpUrl() : urls.size() == 2 ? urls.get(1) : target.url();
            Connector connector = connection.connector(target, spec.commandLine().getErr());
            new ChatDemo(connector, primary, tcp, room, queue, connection.headers(), out).run();
        }
        return Exit.OK;
    }
}
