package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompException;
import dev.jstomp.broker.EmbeddedArtemis;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * TLS against the embedded Artemis's SSL acceptors ({@code stomp+ssl://} and {@code wss://}), with
 * self-signed certificates made by {@code keytool} at test time (no key material is committed): one for
 * "localhost", one for the wrong name. Trusted through a user SSLContext, the right name connects; the JVM's
 * default trust store refuses the self-signed certificate; the wrong name fails host name verification
 * even when its certificate is trusted. Every failure says TLS/certificate.
 */
class TlsIT {

    private static final String PASSWORD = "test-only-" + Long.toHexString(System.nanoTime());
    private static final Path KEYS = tempDir();
    private static final Path LOCALHOST = keyStore("localhost", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
    private static final Path WRONG_NAME = keyStore("wrong", "CN=wrong.example", "SAN=dns:wrong.example");

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create(new EmbeddedArtemis()
            .tlsAcceptor("tls-localhost", LOCALHOST, PASSWORD).tlsAcceptor("tls-wrong-name", WRONG_NAME, PASSWORD));

    @AfterAll
    static void deleteKeys() throws IOException {
        try (Stream<Path> files = Files.walk(KEYS)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void trustedCertificateForTheRightNameConnects(Wire wire) throws Exception {
        String queue = wire.queue("tls");
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (StompClient client = Stomp.client(url(wire, "tls-localhost"))) {
            client.sslContext(trusting(LOCALHOST));
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            assertThat(client.connectedTo()).isEqualTo(url(wire, "tls-localhost"));
            client.subscribe(queue, m -> bodies.add(m.body()));
            client.send(queue, Map.of(), "over TLS");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.contains("over TLS"));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void defaultTrustStoreRefusesTheSelfSignedCertificate(Wire wire) throws Exception {
        Throwable failure = connectFailure(Stomp.client(url(wire, "tls-localhost")));
        System.out.printf("TlsIT %s, default trust store: %s%n", wire, failure.getMessage());

        assertThat(failure).isInstanceOf(StompConnectionException.class);
        assertThat(failure.getMessage()).containsIgnoringCase("TLS").containsIgnoringCase("certificate");
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void wrongHostNameFailsVerificationEvenWithTheCertificateTrusted(Wire wire) throws Exception {
        StompClient client = Stomp.client(url(wire, "tls-wrong-name"));
        client.sslContext(trusting(WRONG_NAME));
        Throwable failure = connectFailure(client);
        System.out.printf("TlsIT %s, wrong host name: %s%n", wire, failure.getMessage());

        assertThat(failure).isInstanceOf(StompConnectionException.class);
        assertThat(failure.getMessage()).containsIgnoringCase("TLS").containsIgnoringCase("certificate")
                .containsIgnoringCase("localhost");
    }

    /** The read gate sits ahead of Netty's SslHandler, whose own read requests it has to hold too. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void aBlockedCallbackStopsReadingOverTlsToo(Wire wire) throws Exception {
        String queue = wire.queue("tls-back-pressure");
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> received = new CopyOnWriteArrayList<>();
        try (StompClient consumer = Stomp.client(url(wire, "tls-localhost")); StompClient producer = wire.client(broker)) {
            consumer.sslContext(trusting(LOCALHOST));
            int readWhileBlocked = InboundBackPressureIT.floodUntilPaused(consumer, producer, broker.connectHeaders(), queue,
                    message -> {
                        if (message.body().equals(InboundBackPressureIT.textBody(received.size()))) {
                            received.add(received.size());
                        }
                        InboundBackPressureIT.awaitQuietly(release);
                    });
            release.countDown();
            waitAtMost(Duration.ofSeconds(30)).until(() -> received.size() == InboundBackPressureIT.COUNT);
            System.out.printf("TlsIT %s: %d of %d messages read while the callback was blocked%n", wire,
                    readWhileBlocked, InboundBackPressureIT.COUNT);
        }
    }

    private static String url(Wire wire, String acceptor) {
        int port = broker.artemis().tlsPort(acceptor);
        return wire.webSocket() ? "wss://localhost:" + port + "/stomp" : "stomp+ssl://localhost:" + port;
    }

    private static Throwable connectFailure(StompClient client) throws Exception {
        try (client) {
            long t0 = System.nanoTime();
            try {
                client.connectAsync(broker.connectHeaders()).get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(millis).as("a TLS failure is reported when the handshake fails, not at a timeout")
                        .isLessThan(5_000);
                assertThat(e.getCause()).isInstanceOf(StompException.class);
                return e.getCause();
            }
            throw new AssertionError("connected, but the TLS handshake should have failed");
        }
    }

    /** An SSLContext that trusts only the certificate in this key store. */
    private static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = keys.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("jstomp-tls-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS12 key store with a fresh self-signed EC key pair, alias "server", made by the JDK's keytool. */
    private static Path keyStore(String name, String dname, String san) {
        Path file = KEYS.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", dname, "-ext", san,
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD,
                "-noprompt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return file;
    }
}
