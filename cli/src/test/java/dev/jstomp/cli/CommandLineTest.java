package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad command lines: one clear line on standard error, exit code 2, nothing started, no stack trace. */
class CommandLineTest {

    private static void assertOneLineUsageError(Cli.Result r, String expected) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Exit.USAGE);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).as("nothing started, nothing announced").isEmpty();
    }

    @Test
    void noSubcommandPrintsUsage() {
        Cli.Result r = Cli.run();
        assertThat(r.exitCode()).isEqualTo(Exit.USAGE);
        assertThat(r.err()).contains("Usage: jstomp").contains("demo").contains("check");
    }

    @Test
    void helpAndVersion() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("subscribe", "send", "check", "perf", "demo");
        Cli.Result sendHelp = Cli.run("send", "--help");
        assertThat(sendHelp.out()).contains("jstomp send [OPTIONS] [URL] DEST [BODY]", "--receipt", "--lines",
                "--passcode-env", "--header", "--debug", "--timeout");
        Cli.Result version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("jstomp ");
    }

    @Test
    void missingDestination() {
        assertOneLineUsageError(Cli.run("send"), "jstomp send: missing destination");
        assertOneLineUsageError(Cli.run("send", "tcp://127.0.0.1:1"), "jstomp send: missing destination");
        assertOneLineUsageError(Cli.run("subscribe", "ws://127.0.0.1:1/ws"), "jstomp subscribe: missing destination");
    }

    @Test
    void unknownScheme() {
        assertOneLineUsageError(Cli.run("check", "amqp://127.0.0.1:5672"), "unsupported URL scheme 'amqp'");
        assertOneLineUsageError(Cli.run("send", "foo://127.0.0.1:1", "/queue/a", "x"), "unsupported URL scheme 'foo'");
        assertOneLineUsageError(Cli.run("bench", "localhost:61613"), "write tcp://localhost:61613");
    }

    @Test
    void badOptions() {
        assertOneLineUsageError(Cli.run("send", "--bogus", "/queue/a"), "Unknown option: '--bogus'");
        assertOneLineUsageError(Cli.run("subscribe", "tcp://127.0.0.1:1", "/queue/a", "--ack", "sometimes"),
                "--ack must be one of auto, client, client-individual");
        assertOneLineUsageError(Cli.run("send", "tcp://127.0.0.1:1", "/queue/a", "x", "--timeout", "soon"),
                "'soon' is not a duration");
        assertOneLineUsageError(Cli.run("send", "tcp://127.0.0.1:1", "/queue/a", "x", "--lines"),
                "give BODY or --lines, not both");
    }

    @Test
    void passcodeSources() {
        assertOneLineUsageError(Cli.run("send", "tcp://127.0.0.1:1", "/queue/a", "x",
                "--passcode-env", "JSTOMP_TEST_SURELY_UNSET_VARIABLE"), "JSTOMP_TEST_SURELY_UNSET_VARIABLE is not set");
        Cli.Result both = Cli.run("send", "tcp://127.0.0.1:1", "/queue/a", "x", "--passcode", "hunter2-secret",
                "--passcode-env", "HOME");
        assertOneLineUsageError(both, "not both");
        assertThat(both.err()).doesNotContain("hunter2-secret");
    }
}
