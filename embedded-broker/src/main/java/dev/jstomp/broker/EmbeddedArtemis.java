package dev.jstomp.broker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * In-process Apache Artemis broker speaking STOMP (raw TCP and WebSocket on one loopback port).
 *
 * <p>Shared by the {@code jstomp} command (its default broker), the integration tests and the benchmarks;
 * it depends only on Artemis and the JDK.
 *
 * <p>Destination mapping: the acceptor sets {@code anycastPrefix=/queue/} and
 * {@code multicastPrefix=/topic/}, so STOMP {@code /queue/x} is the ANYCAST address {@code x} and
 * {@code /topic/x} the MULTICAST address {@code x}; other names are used verbatim as the address.
 * Addresses and queues are auto-created. Sending to any address matching {@code forbidden.#}
 * (e.g. {@code /queue/forbidden.x}) is denied to the single user; everything else is allowed.
 *
 * <p>Persistence is off: messages do not survive {@link #stop()}/{@link #start()}.
 */
public class EmbeddedArtemis implements AutoCloseable {

    public static final String USER = "jstomp";
    public static final String PASSWORD = "s3cret-pass";
    public static final String ROLE = "jstomp-role";
    /** Address match (after prefix stripping) that the user may not send to. */
    public static final String FORBIDDEN_MATCH = "forbidden.#";
    public static final int DEFAULT_WS_MAX_FRAME_PAYLOAD = 65536;
    private static final String ACCEPTOR = "stomp";

    private final int webSocketMaxFramePayloadLength;
    private int port;
    private Path dataDir;
    private ActiveMQServer server;
    private Duration lastStartDuration = Duration.ZERO;

    public EmbeddedArtemis() {
        this(DEFAULT_WS_MAX_FRAME_PAYLOAD);
    }

    /** @param webSocketMaxFramePayloadLength largest single WebSocket frame the broker accepts */
    public EmbeddedArtemis(int webSocketMaxFramePayloadLength) {
        this.webSocketMaxFramePayloadLength = webSocketMaxFramePayloadLength;
    }

    /** Starts the broker; the first start picks a free port, later starts reuse it. */
    public synchronized EmbeddedArtemis start() {
        if (server != null) {
            return this;
        }
        if (port == 0) {
            port = freeLoopbackPort();
        }
        long t0 = System.nanoTime();
        try {
            // Artemis may still create paging/large-message dirs even without persistence; keep them out of the cwd.
            dataDir = Files.createTempDirectory("jstomp-artemis-");
            ActiveMQServer s = new ActiveMQServerImpl(configuration(), securityManager());
            s.start(); // synchronous for a standalone broker
            // A failed bind (port taken) is only logged by Artemis, so check the acceptor ourselves.
            Acceptor acceptor = s.getRemotingService().getAcceptor(ACCEPTOR);
            if (!s.isActive() || acceptor == null || !acceptor.isStarted()) {
                s.stop();
                throw new IllegalStateException("Artemis acceptor did not start on " + tcpHost() + ":" + port);
            }
            server = s;
            lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
        } catch (Exception e) {
            deleteDataDir();
            throw new IllegalStateException("Could not start embedded Artemis on port " + port, e);
        }
        return this;
    }

    /** Stops the broker and releases the port; {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop embedded Artemis", e);
        } finally {
            server = null;
            deleteDataDir();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isActive();
    }

    public int port() {
        requirePort();
        return port;
    }

    public String tcpHost() {
        return "127.0.0.1";
    }

    /** Artemis ignores the request path (any path upgrades); {@code /stomp} is just the conventional one. */
    public String wsUrl() {
        return "ws://" + tcpHost() + ":" + port() + "/stomp";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Wall time of the last successful {@link #start()}, to keep the "starts in under 3 s" promise checked. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    public int webSocketMaxFramePayloadLength() {
        return webSocketMaxFramePayloadLength;
    }

    /** Escape hatch for tests that need broker internals (queues, connection counts). */
    public synchronized ActiveMQServer server() {
        return server;
    }

    private Configuration configuration() {
        String acceptor = "tcp://" + tcpHost() + ":" + port
                + "?protocols=STOMP"
                + ";webSocketMaxFramePayloadLength=" + webSocketMaxFramePayloadLength
                + ";anycastPrefix=/queue/;multicastPrefix=/topic/";
        Configuration c = new ConfigurationImpl()
                .setName("jstomp-it")
                .setPersistenceEnabled(false)
                .setJMXManagementEnabled(false)
                .setSecurityEnabled(true)
                // No 10 s "critical analyzer" thread, and never block producers because the CI disk is full.
                .setCriticalAnalyzer(false)
                .setMaxDiskUsage(-1);
        c.setBrokerInstance(dataDir.toFile()); // relative data dirs (paging, large-messages) resolve under it
        try {
            c.addAcceptorConfiguration(ACCEPTOR, acceptor);
        } catch (Exception e) {
            throw new IllegalArgumentException("Bad acceptor URI " + acceptor, e);
        }
        c.addAddressSetting("#", new AddressSettings()
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true));
        // Artemis picks the most specific match (no merging), so the forbidden match repeats every permission but send.
        c.putSecurityRoles("#", Set.of(role(true)));
        c.putSecurityRoles(FORBIDDEN_MATCH, Set.of(role(false)));
        return c;
    }

    private static Role role(boolean send) {
        // name, send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue,
        // deleteNonDurableQueue, manage, browse, createAddress, deleteAddress
        return new Role(ROLE, send, true, true, true, true, true, true, true, true, true);
    }

    private static ActiveMQJAASSecurityManager securityManager() {
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(USER, PASSWORD);
        users.addRole(USER, ROLE);
        return new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requirePort() {
        if (port == 0) {
            throw new IllegalStateException("Broker never started: no port yet");
        }
    }

    private void deleteDataDir() {
        if (dataDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // best effort: it is a temp dir
        }
        dataDir = null;
    }
}
