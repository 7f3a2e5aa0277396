package dev.jstomp.cli;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.jstomp.broker.EmbeddedArtemis;

/** The embedded Artemis for a test class: {@code @RegisterExtension static final TestBroker broker = new TestBroker();}. */
final class TestBroker extends EmbeddedArtemis implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    String tcpUrl() {
        return "tcp://" + tcpHost() + ":" + port();
    }

    /** The command-line options that log in to this broker. */
    String[] login() {
        return new String[] {"--login", user(), "--passcode", password()};
    }

    /** Joins arguments: {@code broker.args("send", url, "--count", "1")} plus the login options. */
    String[] args(String... args) {
        String[] login = login();
        String[] all = new String[args.length + login.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(login, 0, all, args.length, login.length);
        return all;
    }
}
