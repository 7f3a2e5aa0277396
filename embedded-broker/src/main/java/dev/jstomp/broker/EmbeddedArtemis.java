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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
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
 * <p>Persistence is off by default: messages do not survive {@link #stop()}/{@link #start()}. With
 * {@link #persistent(boolean) persistent(true)} durable messages (STOMP {@code persistent:true}) are kept in a
 * journal in a temporary directory that outlives {@code stop()} and is deleted by {@link #close()}.
 *
 * <p>{@link #tlsAcceptor(String, Path, String)} adds acceptors speaking STOMP over TLS (raw TCP and
 * {@code wss://}) on ports of their own, with the given key store; tests generate the key material.
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
    private final Map<String, TlsAcceptor> tlsAcceptors = new LinkedHashMap<>();
    private boolean persistent;
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

    /**
     * Keeps durable messages across {@link #stop()}/{@link #start()} (a journal in a temporary directory,
     * deleted by {@link #close()}). Set while the broker is stopped.
     *
     * @param on whether to persist
     * @return this broker
     */
    public synchronized EmbeddedArtemis persistent(boolean on) {
        requireStopped("persistence");
        persistent = on;
        return this;
    }

    public synchronized boolean isPersistent() {
        return persistent;
    }

    /**
     * Adds an acceptor speaking STOMP over TLS, raw TCP and WebSocket ({@code wss://}), on a port of its own
     * (picked at the first start, kept after). Set while the broker is stopped.
     *
     * @param name the acceptor's name, to ask for its port with {@link #tlsPort(String)}
     * @param keyStore a PKCS12 key store holding the server's key and certificate
     * @param password the key store's (and key's) password
     * @return this broker
     */
    public synchronized EmbeddedArtemis tlsAcceptor(String name, Path keyStore, String password) {
        requireStopped("TLS acceptors");
        if (ACCEPTOR.equals(name) || tlsAcceptors.containsKey(name)) {
            throw new IllegalArgumentException("Acceptor name '" + name + "' is already in use");
        }
        tlsAcceptors.put(name, new TlsAcceptor(keyStore, password));
        return this;
    }

    /** The port of a TLS acceptor added with {@link #tlsAcceptor(String, Path, String)}, once started. */
    public synchronized int tlsPort(String name) {
        TlsAcceptor tls = tlsAcceptors.get(name);
        if (tls == null) {
            throw new IllegalArgumentException("No TLS acceptor named '" + name + "'");
        }
        if (tls.port == 0) {
            throw new IllegalStateException("Broker never started: no port yet for TLS acceptor '" + name + "'");
        }
        return tls.port;
    }

    /** Starts the broker; the first start picks free ports, later starts reuse them. */
    public synchronized EmbeddedArtemis start() {
        if (server != null) {
            return this;
        }
        if (port == 0) {
            port = freeLoopbackPort();
        }
        for (TlsAcceptor tls : tlsAcceptors.values()) {
            if (tls.port == 0) {
                tls.port = freeLoopbackPort();
            }
        }
        long t0 = System.nanoTime();
        try {
            // Artemis may still create paging/large-message dirs even without persistence; keep them out of the cwd.
            // A persistent broker keeps its journal there across stop()/start().
            if (dataDir == null) {
                dataDir = Files.createTempDirectory("jstomp-artemis-");
            }
            ActiveMQServer s = new ActiveMQServerImpl(configuration(), securityManager());
            s.start(); // synchronous for a standalone broker
            // A failed bind (port taken) is only logged by Artemis, so check the acceptors ourselves.
            for (String name : acceptorNames()) {
                Acceptor acceptor = s.getRemotingService().getAcceptor(name);
                if (!s.isActive() || acceptor == null || !acceptor.isStarted()) {
                    s.stop();
                    throw new IllegalStateException("Artemis acceptor '" + name + "' did not start on " + tcpHost());
                }
            }
            server = s;
            lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
        } catch (Exception e) {
            if (!persistent) {
                deleteDataDir();
            }
            throw new IllegalStateException("Could not start embedded Artemis on port " + port, e);
        }
        return this;
    }

    /**
     * Stops the broker and releases its ports; {@link #start()} brings it back on the same ports (with the
     * messages it had, when {@link #persistent(boolean) persistent}).
     */
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
            if (!persistent) {
                deleteDataDir();
            }
        }
    }

    /** Stops the broker and deletes its data, the journal of a persistent broker included. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteDataDir();
        }
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
                .setPersistenceEnabled(persistent)
                .setJMXManagementEnabled(false)
                .setSecurityEnabled(true)
                // No 10 s "critical analyzer" thread, and never block producers because the CI disk is full.
                .setCriticalAnalyzer(false)
                .setMaxDiskUsage(-1);
        c.setBrokerInstance(dataDir.toFile()); // relative data dirs (paging, large-messages) resolve under it
        if (persistent) {
            // NIO: no native library needed; small files, since tests keep little.
            c.setJournalType(JournalType.NIO).setJournalFileSize(1024 * 1024).setJournalMinFiles(2);
        }
        try {
            c.addAcceptorConfiguration(ACCEPTOR, acceptor);
            for (Map.Entry<String, TlsAcceptor> tls : tlsAcceptors.entrySet()) {
                c.addAcceptorConfiguration(tls.getKey(), acceptor.replace(":" + port + "?", ":" + tls.getValue().port + "?")
                        + ";sslEnabled=true;keyStoreType=PKCS12"
                        + ";keyStorePath=" + tls.getValue().keyStore.toAbsolutePath()
                        + ";keyStorePassword=" + tls.getValue().password);
            }
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

    private List<String> acceptorNames() {
        List<String> names = new ArrayList<>();
        names.add(ACCEPTOR);
        names.addAll(tlsAcceptors.keySet());
        return names;
    }

    private void requireStopped(String what) {
        if (server != null) {
            throw new IllegalStateException("Stop the broker before changing " + what);
        }
    }

    /** A TLS acceptor's key material and (once started) port. */
    private static final class TlsAcceptor {
        final Path keyStore;
        final String password;
        int port;

        TlsAcceptor(Path keyStore, String password) {
            this.keyStore = keyStore;
            this.password = password;
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
