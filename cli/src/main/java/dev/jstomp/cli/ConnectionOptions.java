package dev.jstomp.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every subcommand shares (a picocli mixin): credentials, virtual host, extra headers,
 * {@code --debug} and {@code --timeout}. The passcode is never echoed or printed: frames show it as
 * {@code ***} and error output is scrubbed of it.
 */
public final class ConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = {"-u", "--login"}, paramLabel = "LOGIN",
            description = "Login (CONNECT header). Default: none, or the embedded broker's user.")
    private @Nullable String login;

    @Option(names = {"-p", "--passcode"}, paramLabel = "PASSCODE", arity = "0..1", interactive = true,
            description = "Passcode. Give the option alone to be prompted without echo; prefer --passcode-env.")
    private @Nullable String passcode;

    @Option(names = "--passcode-env", paramLabel = "VAR",
            description = "Read the passcode from this environment variable.")
    private @Nullable String passcodeEnv;

    @Option(names = "--host", paramLabel = "VHOST",
            description = "Virtual host (the CONNECT host header; RabbitMQ maps it to a vhost).")
    private @Nullable String host;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE",
            description = "Extra header for the frames this command sends (SEND, SUBSCRIBE); repeatable.")
    private Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--connect-header", paramLabel = "NAME=VALUE",
            description = "Extra CONNECT header, e.g. client-id=me; repeatable.")
    private Map<String, String> connectHeaders = new LinkedHashMap<>();

    @Option(names = "--debug", description = "Print every frame in and out (on standard error).")
    private boolean debug;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = Durations.class,
            description = "How long to wait for the broker: connecting, receipts, expected messages (default: ${DEFAULT-VALUE}).")
    private Duration timeout = Duration.ofSeconds(5);

    /** Extra headers for SEND and SUBSCRIBE frames. */
    Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    /** The time limit for anything expected from the broker. */
    Duration timeout() {
        return timeout;
    }

    /** True with {@code --debug}. */
    boolean debug() {
        return debug;
    }

    /**
     * The connection settings for a target: the given credentials, or the embedded broker's.
     *
     * @param target where to connect
     * @param err where {@code --debug} prints frames
     */
    Connector connector(BrokerTarget target, PrintWriter err) {
        return connector(target.url(), target.defaultLogin(), target.defaultPasscode(), err);
    }

    /**
     * The connection settings for a URL: the given credentials, or these defaults.
     *
     * @param url where to connect
     * @param defaultLogin the login without {@code --login} (an embedded broker's user), or null
     * @param defaultPasscode the passcode without {@code --passcode}, or null
     * @param err where {@code --debug} prints frames
     */
    Connector connector(String url, @Nullable String defaultLogin, @Nullable String defaultPasscode, PrintWriter err) {
        String secret = passcode();
        String user = login != null ? login : defaultLogin;
        if (secret == null) {
            secret = defaultPasscode;
        }
        return new Connector(url, user, secret, host, connectHeaders, timeout, debug ? err : null);
    }

    private @Nullable String passcode() {
        if (passcode != null && passcodeEnv != null) {
            throw CliException.usage("give --passcode or --passcode-env, not both");
        }
        String secret = passcode;
        if (passcodeEnv != null) {
            secret = System.getenv(passcodeEnv);
            if (secret == null) {
                throw CliException.usage("--passcode-env: the environment variable " + passcodeEnv + " is not set");
            }
        }
        if (secret != null && mixee.root().userObject() instanceof JstompCommand root) {
            root.redact(secret);
        }
        return secret;
    }
}
