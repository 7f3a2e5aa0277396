package dev.jstomp.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code jstomp} command: a STOMP client for people, with an embedded Artemis when no broker URL is
 * given. {@link #commandLine} builds it with the output streams and standard input to use, which is how
 * {@link Main} runs it and how the tests drive it in-process.
 */
@Command(name = "jstomp", mixinStandardHelpOptions = true, versionProvider = JstompCommand.Version.class,
        description = {
            "Talk STOMP to a broker over WebSocket or TCP: watch a destination, send messages, check what a "
                    + "broker supports, measure it.",
            "Broker URLs: ws://host:port/path, wss://..., tcp://host:port, stomp+ssl://host:port (TLS). "
                    + "Without a URL, jstomp starts an embedded Apache Artemis for the length of the command."},
        subcommands = {DemoCommand.class, SubscribeCommand.class, SendCommand.class, CheckCommand.class,
            PerfCommand.class, HelpCommand.class},
        footer = {"", "Start with: jstomp demo", "Exit codes: 0 success, 1 failure, 2 bad command line."})
public final class JstompCommand implements Callable<Integer> {

    private final InputStream in;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    @Spec
    private CommandSpec spec;

    private JstompCommand(InputStream in) {
        this.in = in;
    }

    /**
     * The command, ready to {@code execute(args)}.
     *
     * @param out standard output
     * @param err standard error: diagnostics, progress, {@code --debug} frames
     * @param in standard input (read by {@code send})
     * @return the picocli command line
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, InputStream in) {
        CommandLine cli = new CommandLine(new JstompCommand(in));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(JstompCommand::badCommandLine);
        cli.setExecutionExceptionHandler((e, line, parsed) -> failed(e, line, parsed));
        return cli;
    }

    /** Standard input for the subcommands. */
    InputStream in() {
        return in;
    }

    /** Remembers a secret (a passcode) so that no output line shows it. */
    void redact(String secret) {
        if (!secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Exit.USAGE;
    }

    private String scrub(String text) {
        String clean = text;
        for (String secret : secrets) {
            clean = clean.replace(secret, "***");
        }
        return clean;
    }

    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        JstompCommand root = root(line);
        String name = line.getCommandSpec().qualifiedName();
        String text = root.scrub(Texts.oneLine(String.valueOf(e.getMessage())));
        line.getErr().println(name + ": " + text + " (see " + name + " --help)");
        line.getErr().flush();
        return Exit.USAGE;
    }

    private static int failed(Exception e, CommandLine line, ParseResult parsed) {
        JstompCommand root = root(line);
        String name = line.getCommandSpec().qualifiedName();
        PrintWriter err = line.getErr();
        if (e instanceof CliException cli) {
            err.println(name + ": " + root.scrub(Texts.errorLine(String.valueOf(cli.getMessage()))));
            err.flush();
            return cli.exitCode();
        }
        // A failed future (a receipt the broker answered with ERROR, say): what failed is the cause.
        Throwable cause = e;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof dev.jstomp.StompException stomp) {
            err.println(name + ": " + root.scrub(Texts.errorLine(String.valueOf(stomp.getMessage()))));
            err.flush();
            return Exit.FAILURE;
        }
        // A bug or a failure nobody anticipated: still one line, the trace only on request.
        err.println(name + ": unexpected " + e.getClass().getSimpleName() + ": "
                + root.scrub(Texts.errorLine(String.valueOf(e.getMessage()))) + debugHint(parsed));
        if (debugRequested(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return Exit.FAILURE;
    }

    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    private static String debugHint(ParseResult parsed) {
        return debugRequested(parsed) ? "" : " (--debug shows details)";
    }

    private static JstompCommand root(CommandLine line) {
        CommandLine top = line;
        while (top.getParent() != null) {
            top = top.getParent();
        }
        return (JstompCommand) top.getCommand();
    }

    /** The version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = JstompCommand.class.getPackage().getImplementationVersion();
            return new String[] {"jstomp " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
