package dev.jstomp.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The {@code jstomp} executable: runs {@link JstompCommand} on the process's streams and exits with its code. */
public final class Main {

    // Held so the level survives: java.util.logging keeps only weak references to loggers.
    private static final Logger JUL_ROOT = Logger.getLogger("");

    private Main() {
    }

    /**
     * Runs the command.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // Tyrus and JLine log through java.util.logging; the command says what matters itself.
        JUL_ROOT.setLevel(Arrays.asList(args).contains("--debug") ? Level.WARNING : Level.OFF);
        // UTF-8 whatever the platform default, so bodies and the demo's emoji print as sent.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = JstompCommand.commandLine(out, err, System.in).execute(args);
        out.flush();
        err.flush();
        // Exit even if a library left a non-daemon thread behind.
        System.exit(code);
    }
}
