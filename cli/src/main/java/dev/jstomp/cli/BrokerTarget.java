package dev.jstomp.cli;

import java.io.PrintWriter;

import org.jspecify.annotations.Nullable;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * Where a command connects: the URL it was given, or an embedded Artemis started on a free loopback
 * port for the length of the command (announced on the first line of output). Closing stops the
 * embedded broker.
 */
final class BrokerTarget implements AutoCloseable {

    private final String url;
    private final @Nullable EmbeddedArtemis broker;

    private BrokerTarget(String url, @Nullable EmbeddedArtemis broker) {
        this.url = url;
        this.broker = broker;
    }

    /**
     * The given URL (validated), or an embedded broker when there is none.
     *
     * @param url the URL from the command line, or {@code null}
     * @param announce where to say that an embedded broker was started
     */
    static BrokerTarget resolve(@Nullable String url, PrintWriter announce) {
        if (url != null) {
            BrokerUrl.check(url);
            return new BrokerTarget(url, null);
        }
        EmbeddedArtemis broker = new EmbeddedArtemis();
        try {
            broker.start();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new CliException("could not start the embedded Artemis: " + Texts.oneLine(
                    root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
        }
        BrokerTarget target = new BrokerTarget("tcp://" + broker.tcpHost() + ":" + broker.port(), broker);
        announce.println("Started embedded Artemis " + target.version() + " on " + broker.tcpHost() + ":"
                + broker.port() + " (STOMP over TCP and WebSocket; user " + broker.user() + ")");
        announce.flush();
        return target;
    }

    /** True when this command started its own broker. */
    boolean embedded() {
        return broker != null;
    }

    /** The URL to use: the given one, or the embedded broker's TCP URL. */
    String url() {
        return url;
    }

    /** The embedded broker's WebSocket URL. */
    String webSocketUrl() {
        return embeddedBroker().wsUrl();
    }

    /** The embedded broker's TCP URL. */
    String tcpUrl() {
        embeddedBroker();
        return url;
    }

    /** Login for the embedded broker, or {@code null} for a given URL. */
    @Nullable String defaultLogin() {
        return broker == null ? null : broker.user();
    }

    /** Passcode for the embedded broker, or {@code null} for a given URL. */
    @Nullable String defaultPasscode() {
        return broker == null ? null : broker.password();
    }

    private EmbeddedArtemis embeddedBroker() {
        if (broker == null) {
            throw new IllegalStateException("no embedded broker");
        }
        return broker;
    }

    private String version() {
        try {
            return embeddedBroker().server().getVersion().getFullVersion();
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.stop();
        }
    }
}
