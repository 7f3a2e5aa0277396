package dev.jstomp.cli;

/** The exit codes of the {@code jstomp} command. */
public final class Exit {

    /** Everything worked (for {@code check}: nothing failed). */
    public static final int OK = 0;
    /** The command ran and something failed: a connection, a receipt, a check. */
    public static final int FAILURE = 1;
    /** The command line was wrong: unknown option, missing argument, bad URL. */
    public static final int USAGE = 2;

    private Exit() {
    }
}
