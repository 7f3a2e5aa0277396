package dev.jstomp.test;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * An in-process Apache Artemis broker for tests, speaking STOMP over TCP and WebSocket on one free loopback
 * port, as a JUnit 5 extension.
 *
 * <pre>{@code
 * @RegisterExtension
 * static EmbeddedStompBroker broker = EmbeddedStompBroker.create();
 *
 * @Test
 * void ordersArrive() throws Exception {
 *     try (StompClient client = Stomp.client(broker.wsUrl())) {          // or broker.tcpUrl()
 *         client.connectAsync(broker.connectHeaders()).get(5, TimeUnit.SECONDS);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifetime.</b> As a {@code static} {@code @RegisterExtension} field the broker starts before the
 * class's first test and is closed after its last (per class; {@code @Nested} classes share it); as an
 * instance field it starts before each test and is closed after it (per test: every test gets an empty
 * broker). Outside JUnit, call
 * {@link #start()} and {@link #close()} yourself. Closing stops the broker, its threads and its acceptor and
 * deletes its data directory (a temporary directory).
 *
 * <p><b>Destinations.</b> {@code /queue/NAME} is an ANYCAST queue, {@code /topic/NAME} a MULTICAST topic;
 * both are created on first use. One user ({@link #login()}, {@link #passcode()}) may do everything, except
 * send to {@code /queue/forbidden.*} and {@code /topic/forbidden.*}, which are denied (to test ERROR
 * handling).
 *
 * <p><b>Logging.</b> Artemis logs through SLF4J under {@code org.apache.activemq}, loudly at INFO. The kit
 * installs no logging binding and changes no logging configuration; set that category to WARN or ERROR in
 * your test logging configuration (see the README, "Testing your code").
 *
 * <p>Not for production: no persistence by default, one user, loopback only.
 */
public final class EmbeddedStompBroker implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, AutoCloseable {

    private final EmbeddedArtemis artemis;
    /**
     * The class that started the broker in beforeAll (JUnit calls it only for a static field): the broker
     * lives as long as that class. {@code @Nested} classes inherit the extension and call beforeAll/afterAll
     * too; they must not close the outer class's broker.
     */
    private @Nullable String ownerClass;
    /** Set when beforeEach started the broker (an instance field): afterEach closes it. */
    private boolean perTest;

    private EmbeddedStompBroker(EmbeddedArtemis artemis) {
        this.artemis = artemis;
    }

    /** A broker with the defaults: STOMP over TCP and WebSocket on one free loopback port, no persistence. */
    public static EmbeddedStompBroker create() {
        return new EmbeddedStompBroker(new EmbeddedArtemis());
    }

    /**
     * A broker around an Artemis you configured (persistence, TLS acceptors, the WebSocket frame limit), not
     * yet started. The extension starts and closes it as it does the default one.
     *
     * @param artemis the broker to run; must not be running
     * @return the extension
     */
    public static EmbeddedStompBroker create(EmbeddedArtemis artemis) {
        Objects.requireNonNull(artemis, "artemis");
        if (artemis.isRunning()) {
            throw new IllegalArgumentException("Pass an EmbeddedArtemis that is not started: the extension starts it");
        }
        return new EmbeddedStompBroker(artemis);
    }

    /**
     * Starts the broker; a no-op when it is running. The first start picks a free port; later starts (after
     * {@link #stop()}, {@link #restart()} or {@link #close()}) reuse it.
     *
     * @return this broker
     */
    public EmbeddedStompBroker start() {
        artemis.start();
        return this;
    }

    /**
     * Stops the broker, keeping its port for {@link #start()}: clients see their connection drop, and
     * reconnecting ones retry until it is back. Without persistence the broker's messages are gone.
     */
    public void stop() {
        artemis.stop();
    }

    /**
     * Stops the broker and starts it again on the same port, so clients with
     * {@code reconnectDelay} set come back to it. Without persistence it comes back empty.
     *
     * @return this broker
     */
    public EmbeddedStompBroker restart() {
        artemis.stop();
        artemis.start();
        return this;
    }

    /** Whether the broker is up. */
    public boolean isRunning() {
        return artemis.isRunning();
    }

    /** Stops the broker and deletes its data directory; a no-op when already closed. */
    @Override
    public void close() {
        artemis.close();
    }

    /** {@code tcp://127.0.0.1:PORT}: the URL for {@code Stomp.client(url)} over raw TCP. */
    public String tcpUrl() {
        return "tcp://" + host() + ":" + port();
    }

    /** {@code ws://127.0.0.1:PORT/stomp}: the URL for {@code Stomp.client(url)} over WebSocket (any path works). */
    public String wsUrl() {
        return artemis.wsUrl();
    }

    /** The loopback address the broker listens on, {@code 127.0.0.1}. */
    public String host() {
        return artemis.tcpHost();
    }

    /** The port (TCP and WebSocket alike), once the broker has started. */
    public int port() {
        return artemis.port();
    }

    /** The user name to pass as {@code login}. */
    public String login() {
        return artemis.user();
    }

    /** The password to pass as {@code passcode}. */
    public String passcode() {
        return artemis.password();
    }

    /** {@code login} and {@code passcode} headers, for {@code client.connect(headers, ...)} or {@code connectAsync}. */
    public Map<String, String> connectHeaders() {
        return Map.of("login", login(), "passcode", passcode());
    }

    /** The Artemis underneath, for what is Artemis's own (its {@code server()}, TLS ports). */
    public EmbeddedArtemis artemis() {
        return artemis;
    }

    /** Starts the broker for the whole class (a static field). */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (ownerClass == null) {
            ownerClass = context.getUniqueId();
            start();
        }
    }

    /** Closes the broker after the class's last test. */
    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(ownerClass)) {
            ownerClass = null;
            close();
        }
    }

    /** Starts the broker for this test, unless it was started for the whole class. */
    @Override
    public void beforeEach(ExtensionContext context) {
        // A static field's broker is left alone, even when a test stopped it (it may test an outage).
        if (ownerClass == null) {
            perTest = true;
            start();
        }
    }

    /** Closes the broker this test started. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            perTest = false;
            close();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedStompBroker[" + (isRunning() ? tcpUrl() + ", " + wsUrl() : "stopped") + "]";
    }

}
