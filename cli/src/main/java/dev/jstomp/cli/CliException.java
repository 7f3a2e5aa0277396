package dev.jstomp.cli;

/**
 * A failure the command reports as one line on standard error, with an exit code and no stack trace:
 * a bad URL, a refused connection, a missing receipt, a broker that does not speak STOMP.
 */
public class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * A runtime failure (exit code {@link Exit#FAILURE}).
     *
     * @param message one line for people: what failed and what to check
     */
    public CliException(String message) {
        this(message, Exit.FAILURE);
    }

    /**
     * A failure with a chosen exit code.
     *
     * @param message one line for people
     * @param exitCode the process exit code
     */
    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A usage error: bad or missing arguments (exit code {@link Exit#USAGE}). */
    static CliException usage(String message) {
        return new CliException(message, Exit.USAGE);
    }

    /** The process exit code for this failure. */
    public int exitCode() {
        return exitCode;
    }
}
