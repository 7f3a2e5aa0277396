package dev.jstomp.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompException;
import dev.jstomp.StompMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jstomp subscribe [URL] DEST}: prints each message of a destination until {@code --count} messages
 * or Ctrl-C, which disconnects cleanly (DISCONNECT with a receipt). Messages go to standard output,
 * everything else to standard error, so the output can be piped.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        customSynopsis = "jstomp subscribe [OPTIONS] [URL] DEST",
        description = {"Print the messages of DEST as they arrive (bodies; headers too with -v).",
            "URL: the broker (see jstomp --help); without it an embedded Artemis is started.",
            "DEST: what to subscribe to, e.g. /queue/orders, /topic/news, /exchange/logs/#.",
            "With --ack client or client-individual each message is acknowledged once printed."})
final class SubscribeCommand implements Callable<Integer> {

    private static final List<String> ACK_MODES = List.of("auto", "client", "client-individual");

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(arity = "0..2", paramLabel = "ARG", hidden = true)
    private List<String> args = new ArrayList<>();

    @Option(names = "--ack", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, client or client-individual (default: ${DEFAULT-VALUE}).")
    private String ack;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N messages.")
    private @Nullable Integer count;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = Durations.class,
            description = "Fail unless --count messages (or one, without --count) arrive within this time.")
    private @Nullable Duration maxWait;

    @Option(names = "--json", description = "Pretty-print JSON bodies.")
    private boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print the headers of each message too.")
    private boolean verbose;

    @Override
    public Integer call() {
        Positionals positionals = Positionals.split(args);
        String destination = positionals.at(0);
        if (destination == null) {
            throw CliException.usage("missing destination: jstomp subscribe [URL] DEST");
        }
        if (positionals.rest().size() > 1) {
            throw CliException.usage("unexpected argument '" + positionals.at(1) + "'");
        }
        if (!ACK_MODES.contains(ack)) {
            throw CliException.usage("--ack must be one of " + String.join(", ", ACK_MODES) + ", not '" + ack + "'");
        }
        if (count != null && count < 1) {
            throw CliException.usage("--count must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BrokerTarget target = BrokerTarget.resolve(positionals.url(), out);
        Session session;
        try {
            session = connection.connector(target, err).session("subscribe").watchFrames().open();
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        Thread hook = new Thread(() -> interrupted(session, target, err), "jstomp-subscribe-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Inbox inbox = session.inbox();
            subscribe(session, destination, inbox);
            err.println("Subscribed to " + destination + " on " + session.url() + " (ack " + ack + ")"
                    + (count == null ? "; Ctrl-C to stop" : "; waiting for " + Texts.plural(count, "message")));
            err.flush();
            int received = receive(session, inbox, out);
            boolean confirmed = session.disconnect();
            err.println("Received " + Texts.plural(received, "message") + "; disconnected"
                    + (confirmed ? "" : " (the broker sent no RECEIPT for the DISCONNECT)"));
            return Exit.OK;
        } finally {
            removeHook(hook);
            session.close();
            target.close();
        }
    }

    private void subscribe(Session session, String destination, Inbox inbox) {
        String receipt = "subscribe-" + RunId.next();
        Map<String, String> headers = new LinkedHashMap<>(connection.headers());
        headers.put("ack", ack);
        headers.put("receipt", receipt);
        try {
            var confirmed = session.client().watchForReceipt(receipt);
            session.subscribe(destination, inbox, headers);
            session.await(confirmed, "RECEIPT for SUBSCRIBE to " + destination);
        } catch (StompException e) {
            throw session.explain(e);
        }
    }

    private int receive(Session session, Inbox inbox, PrintWriter out) {
        long deadline = maxWait == null ? Long.MAX_VALUE : System.nanoTime() + maxWait.toNanos();
        int received = 0;
        while (count == null || received < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CliException("only " + received + " of " + (count == null ? 1 : count)
                        + " messages arrived within " + Texts.duration(maxWait));
            }
            StompMessage message = inbox.poll(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
            if (message == null) {
                continue;
            }
            print(message, out);
            if (!"auto".equals(ack)) {
                message.ack();
            }
            received++;
            if (count == null && maxWait != null) {
                deadline = Long.MAX_VALUE; // --max-wait without --count: only the first message is awaited
            }
        }
        return received;
    }

    private void print(StompMessage message, PrintWriter out) {
        if (verbose) {
            message.headers().forEach((name, value) -> out.println(name + ": " + value.replace("\n", "\\n")));
            out.println();
        }
        out.println(MessageText.body(message, json));
        if (verbose) {
            out.println();
        }
        out.flush();
    }

    // Ctrl-C: the JVM runs this while the main thread still waits for messages.
    private static void interrupted(Session session, BrokerTarget target, PrintWriter err) {
        try {
            boolean confirmed = session.disconnect();
            err.println("Disconnected from " + session.url() + (confirmed ? " (the broker confirmed with a RECEIPT)"
                    : " (the broker sent no RECEIPT for the DISCONNECT)"));
        } catch (CliException e) {
            err.println("Disconnected from " + session.url() + " (" + e.getMessage() + ")");
        } finally {
            err.flush();
            session.close();
            target.close();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: it does the cleanup
        }
    }
}
