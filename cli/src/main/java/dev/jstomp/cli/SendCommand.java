package dev.jstomp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import dev.jstomp.StompClient;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jstomp send [URL] DEST [BODY]}: one message, each line of standard input, or all of it. */
@Command(name = "send", mixinStandardHelpOptions = true,
        customSynopsis = "jstomp send [OPTIONS] [URL] DEST [BODY]",
        description = {"Send BODY to DEST; without BODY, send all of standard input as one message, or each "
                + "line as a message with --lines.",
            "URL: the broker (see jstomp --help); without it an embedded Artemis is started.",
            "DEST: the destination, e.g. /queue/orders, /topic/news, /exchange/logs."})
final class SendCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private JstompCommand root;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(arity = "0..3", paramLabel = "ARG", hidden = true)
    private List<String> args = new ArrayList<>();

    @Option(names = "--lines", description = "Send each line of standard input as a message, as it is read.")
    private boolean lines;

    @Option(names = "--receipt", description = "Ask for a RECEIPT for every message and fail unless each one comes.")
    private boolean receipt;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "The content-type header, e.g. application/json.")
    private String contentType;

    private int sent;
    private final List<CompletableFuture<StompFrame>> receipts = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Positionals positionals = Positionals.split(args);
        String destination = positionals.at(0);
        String body = positionals.at(1);
        if (destination == null) {
            throw CliException.usage("missing destination: jstomp send [URL] DEST [BODY]");
        }
        if (positionals.rest().size() > 2) {
            throw CliException.usage("too many arguments; quote a BODY that has spaces");
        }
        if (body != null && lines) {
            throw CliException.usage("--lines reads standard input; give BODY or --lines, not both");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (BrokerTarget target = BrokerTarget.resolve(positionals.url(), out);
                Session session = connection.connector(target, spec.commandLine().getErr())
                        .session("send").watchFrames().open()) {
            if (body != null) {
                send(session, destination, body.getBytes(StandardCharsets.UTF_8));
            } else if (lines) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(root.in(), StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    send(session, destination, line.getBytes(StandardCharsets.UTF_8));
                }
            } else {
                send(session, destination, root.in().readAllBytes());
            }
            for (int i = 0; i < receipts.size(); i++) {
                session.await(receipts.get(i), "RECEIPT for message " + (i + 1) + " of " + receipts.size());
            }
            // The DISCONNECT receipt proves the broker took every frame before it without an ERROR.
            boolean confirmed = session.disconnect();
            out.println("Sent " + Texts.plural(sent, "message") + " to " + destination
                    + (receipt ? " (" + Texts.plural(receipts.size(), "receipt") + " received)" : ""));
            if (!confirmed && !receipt) {
                spec.commandLine().getErr().println("jstomp send: note: the broker did not confirm the DISCONNECT "
                        + "with a RECEIPT, so delivery is unconfirmed; --receipt confirms each message");
            }
            return Exit.OK;
        }
    }

    private void send(Session session, String destination, byte[] body) {
        if (session.failure() != null) {
            throw session.failed(session.failure());
        }
        Map<String, String> headers = new LinkedHashMap<>(connection.headers());
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        StompClient client = session.client();
        try {
            if (receipt) {
                receipts.add(client.sendWithReceipt(destination, headers, body));
            } else {
                client.send(destination, headers, body);
            }
        } catch (StompException e) {
            throw session.explain(e);
        }
        sent++;
    }
}
