package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.broker.EmbeddedArtemis;

/**
 * jstomp.ssl.bundle: the embedded Artemis behind TLS with a self-signed certificate made by keytool at test
 * time (no key material committed). Trusted through a Spring Boot SSL bundle it connects, over stomp+ssl://
 * and wss://; without the bundle the JVM's trust store refuses it and the start fails.
 */
class SslBundleIT {

    private static final String PASSWORD = "test-only-" + Long.toHexString(System.nanoTime());
    private static final Path KEY_STORE = keyStore();
    static final EmbeddedArtemis BROKER = new EmbeddedArtemis().tlsAcceptor("tls", KEY_STORE, PASSWORD).start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JstompAutoConfiguration.class, SslAutoConfiguration.class))
            .withPropertyValues("jstomp.login=" + BROKER.user(), "jstomp.passcode=" + BROKER.password(),
                    "spring.ssl.bundle.jks.broker.truststore.location=file:" + KEY_STORE,
                    "spring.ssl.bundle.jks.broker.truststore.password=" + PASSWORD,
                    "spring.ssl.bundle.jks.broker.truststore.type=PKCS12");

    @AfterAll
    static void stop() throws IOException {
        BROKER.close();
        Files.deleteIfExists(KEY_STORE);
    }

    @Test
    void theBundleIsTrustedOverTcpAndWebSocket() {
        int port = BROKER.tlsPort("tls");
        for (String url : List.of("stomp+ssl://localhost:" + port, "wss://localhost:" + port + "/stomp")) {
            runner.withPropertyValues("jstomp.url=" + url, "jstomp.ssl.bundle=broker").run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(StompClient.class).state()).as(url).isEqualTo(ConnectionState.CONNECTED);
            });
        }
    }

    @Test
    void withoutTheBundleTheSelfSignedBrokerIsRefused() {
        runner.withPropertyValues("jstomp.url=stomp+ssl://localhost:" + BROKER.tlsPort("tls"), "jstomp.connect-timeout=3s")
                .run(context -> assertThat(context).hasFailed());
    }

    /** A PKCS12 key store with a fresh self-signed EC key pair for localhost, made by the JDK's keytool. */
    private static Path keyStore() {
        try {
            Path file = Files.createTempDirectory("jstomp-starter-tls-").resolve("localhost.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", file.toString(), "-storetype", "PKCS12",
                    "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
