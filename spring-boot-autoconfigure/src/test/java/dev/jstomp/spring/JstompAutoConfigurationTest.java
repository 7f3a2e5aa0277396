package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.spring.internal.JstompHealthIndicator;

import tools.jackson.databind.json.JsonMapper;

/** Every property and condition of the auto-configuration, without a broker (a port nothing listens on). */
class JstompAutoConfigurationTest {

    private static final int DEAD_PORT = deadPort();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JstompAutoConfiguration.class, JacksonAutoConfiguration.class,
                    SslAutoConfiguration.class))
            .withPropertyValues("jstomp.url=tcp://127.0.0.1:" + DEAD_PORT, "jstomp.fail-fast=false",
                    "jstomp.reconnect-delay=10s");

    @Test
    void defaultsGiveAClientTemplateListenersAndHealth() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(StompClient.class).hasSingleBean(StompTemplate.class)
                    .hasSingleBean(StompListeners.class).hasSingleBean(StompListenerErrorHandler.class)
                    .hasBean("jstompHealthIndicator");
            StompClient client = context.getBean(StompClient.class);
            assertThat(client.heartbeat().outgoing()).isEqualTo(10_000);
            assertThat(client.heartbeat().incoming()).isEqualTo(10_000);
            assertThat(context.getBean(StompTemplate.class).client()).isSameAs(client);
            JstompProperties properties = context.getBean(JstompProperties.class);
            assertThat(properties.isFailFast()).isFalse();
            assertThat(properties.getReconnectDelay()).isEqualTo(Duration.ofSeconds(10));
        });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JstompAutoConfiguration.class))
                .withPropertyValues("jstomp.fail-fast=false").run(context -> assertThat(
                        context.getBean(JstompProperties.class).determineUrls()).containsExactly("tcp://localhost:61613"));
    }

    @Test
    void disabledGivesNothing() {
        runner.withPropertyValues("jstomp.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(StompClient.class).doesNotHaveBean(StompTemplate.class)
                        .doesNotHaveBean("jstompHealthIndicator"));
    }

    @Test
    void healthIndicatorCanBeTurnedOff() {
        runner.withPropertyValues("management.health.jstomp.enabled=false").run(context ->
                assertThat(context).hasSingleBean(StompClient.class).doesNotHaveBean("jstompHealthIndicator"));
    }

    @Test
    void everyPropertyBinds() {
        runner.withPropertyValues("jstomp.urls[0]=ws://a:15674/ws", "jstomp.urls[1]=tcp://b:61613",
                "jstomp.login=svc", "jstomp.passcode=pw-123", "jstomp.host=/prod", "jstomp.headers.client-id=c1",
                "jstomp.heartbeat.outgoing=20s", "jstomp.heartbeat.incoming=0", "jstomp.reconnect-max-delay=1m",
                "jstomp.reconnect-max-attempts=7", "jstomp.connect-timeout=3s", "jstomp.receipt-timeout=4s",
                "jstomp.max-frame-size=1MB", "jstomp.web-socket-message-size=16KB", "jstomp.held-sends.messages=5",
                "jstomp.held-sends.size=2MB", "jstomp.debug=true", "jstomp.listener.auto-startup=false",
                "jstomp.outbound-buffer-limit=4MB", "jstomp.send-timeout=250ms")
                .run(context -> {
                    JstompProperties p = context.getBean(JstompProperties.class);
                    assertThat(p.determineUrls()).containsExactly("ws://a:15674/ws", "tcp://b:61613");
                    assertThat(p.determineConnectHeaders()).containsExactly(Map.entry("client-id", "c1"),
                            Map.entry("login", "svc"), Map.entry("passcode", "pw-123"), Map.entry("host", "/prod"));
                    assertThat(p.getReconnectMaxDelay()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(p.getReconnectMaxAttempts()).isEqualTo(7);
                    assertThat(p.getConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.getReceiptTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(p.getMaxFrameSize().toBytes()).isEqualTo(1024 * 1024);
                    assertThat(p.getWebSocketMessageSize().toBytes()).isEqualTo(16 * 1024);
                    assertThat(p.getHeldSends().getMessages()).isEqualTo(5);
                    assertThat(p.getHeldSends().getSize().toBytes()).isEqualTo(2 * 1024 * 1024);
                    assertThat(p.isDebug()).isTrue();
                    assertThat(p.getOutboundBufferLimit().toBytes()).isEqualTo(4 * 1024 * 1024);
                    assertThat(p.getSendTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.getListener().isAutoStartup()).isFalse();
                    assertThat(p.toString()).contains("svc").doesNotContain("pw-123");
                    StompClient client = context.getBean(StompClient.class);
                    assertThat(client.heartbeat().outgoing()).isEqualTo(20_000);
                    assertThat(client.heartbeat().incoming()).isZero();
                });
    }

    @Test
    void timeoutAndReconnectPropertiesReachTheClient() throws IOException {
        // Bound but never accepting: the kernel completes the TCP handshake, then nothing answers CONNECT.
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues("jstomp.url=tcp://127.0.0.1:" + silent.getLocalPort(), "jstomp.connect-timeout=300ms",
                    "jstomp.reconnect-delay=50ms", "jstomp.reconnect-max-delay=50ms", "jstomp.reconnect-max-attempts=2")
                    .run(context -> {
                        StompClient client = context.getBean(StompClient.class);
                        JstompHealthIndicator health = context.getBean(JstompHealthIndicator.class);
                        // Three attempts of 300 ms (the first and two reconnects), then it gives up.
                        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                            assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
                            assertThat(health.health(true).getDetails()).containsEntry("state", "DISCONNECTED")
                                    .hasEntrySatisfying("lastError", error -> assertThat(error.toString())
                                            .contains("300 ms"));
                        });
                    });
        }
    }

    @Test
    void invalidSettingsFailTheStartWithTheClientsMessage() {
        runner.withPropertyValues("jstomp.connect-timeout=0s").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("connectTimeout must be positive"));
    }

    @Test
    void anUnknownSslBundleFailsTheStartNamingIt() {
        runner.withPropertyValues("jstomp.ssl.bundle=missing").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("missing"));
    }

    @Test
    void customizersRunInOrderAfterTheProperties() {
        runner.withUserConfiguration(Customizers.class).run(context -> {
            assertThat(context.getBean(Customizers.class).order).containsExactly("first", "second");
            // The second customizer's heart-beat wins over the properties' default.
            assertThat(context.getBean(StompClient.class).heartbeat().outgoing()).isEqualTo(1_234);
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context.getBean(StompClient.class)).isSameAs(context.getBean(OwnBeans.class).client);
            assertThat(context.getBean(StompTemplate.class)).isSameAs(context.getBean(OwnBeans.class).template);
            assertThat(context.getBean(StompListenerErrorHandler.class)).isSameAs(OwnBeans.HANDLER);
        });
    }

    @Test
    void healthIsDownWithStateBrokerAndAttemptButNoPasscode() {
        runner.withPropertyValues("jstomp.passcode=pw-hidden", "jstomp.url=tcp://user:pw-hidden@127.0.0.1:" + DEAD_PORT)
                .run(context -> {
                    JstompHealthIndicator health = context.getBean(JstompHealthIndicator.class);
                    StompClient client = context.getBean(StompClient.class);
                    // The error reaches the health indicator through the client's callback lane, just after the state.
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                        Health result = health.health(true);
                        assertThat(client.state()).isEqualTo(ConnectionState.RECONNECTING);
                        assertThat(result.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(result.getDetails()).containsEntry("state", "RECONNECTING")
                                .containsEntry("broker", "tcp://127.0.0.1:" + DEAD_PORT)
                                .containsKey("reconnectAttempt").containsKey("lastError");
                        assertThat(result.toString()).doesNotContain("pw-hidden");
                    });
                });
    }

    @Test
    void closingTheContextClosesTheClient() {
        List<StompClient> seen = new ArrayList<>();
        runner.run(context -> seen.add(context.getBean(StompClient.class)));
        assertThat(seen.get(0).state()).isEqualTo(ConnectionState.DISCONNECTED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> seen.get(0).connectAsync(Map.of()))
                .hasMessageContaining("closed");
    }

    @Test
    void listenerMethodsAreFoundWithPlaceholdersSpelAndDefaults() {
        runner.withUserConfiguration(Listeners.class)
                .withPropertyValues("orders.queue=/queue/orders", "jstomp.listener.auto-startup=false")
                .run(context -> {
                    StompListeners listeners = context.getBean(StompListeners.class);
                    assertThat(listeners.ids()).containsExactlyInAnyOrder("Listeners.onOrder", "spel-listener");
                    assertThat(listeners.isRunning("Listeners.onOrder")).isFalse(); // the property's default
                    assertThat(listeners.isRunning("spel-listener")).isTrue();       // its own autoStartup
                    listeners.start("Listeners.onOrder");
                    assertThat(listeners.isRunning("Listeners.onOrder")).isTrue();
                    listeners.stop("spel-listener");
                    assertThat(listeners.isRunning("spel-listener")).isFalse();
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> listeners.start("nope"))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Listeners.onOrder");
                });
    }

    @Test
    void aListenerWithTwoPayloadsFailsTheStart() {
        runner.withUserConfiguration(BadListener.class).run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("two payload parameters"));
    }

    @Test
    void configurationMetadataIsGenerated() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"jstomp.url\"", "\"jstomp.urls\"", "\"jstomp.passcode\"", "\"jstomp.fail-fast\"",
                    "\"jstomp.heartbeat.outgoing\"", "\"jstomp.ssl.bundle\"", "\"jstomp.listener.auto-startup\"",
                    "\"jstomp.reconnect-delay\"", "never logged or shown");
        }
    }

    @Test
    void theApplicationsJsonMapperIsUsed() {
        runner.run(context -> assertThat(context).hasSingleBean(JsonMapper.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        final List<String> order = new ArrayList<>();

        @Bean
        @Order(2)
        StompClientCustomizer second() {
            return client -> {
                order.add("second");
                client.heartbeat().outgoing(1_234);
            };
        }

        @Bean
        @Order(1)
        StompClientCustomizer first() {
            return client -> order.add("first");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final StompListenerErrorHandler HANDLER = failure -> { };
        final StompClient client = Stomp.overTCP("127.0.0.1", DEAD_PORT).reconnectDelay(10_000);
        final StompTemplate template = new StompTemplate(client, null);

        @Bean
        StompClient myClient() {
            return client;
        }

        @Bean
        StompTemplate myTemplate() {
            return template;
        }

        @Bean
        StompListenerErrorHandler myHandler() {
            return HANDLER;
        }
    }

    static class Listeners {
        @StompListener(destination = "${orders.queue}", headers = "ack=client")
        void onOrder(String body) {
        }

        @StompListener(destination = "#{'/queue/' + 'spel'}", id = "spel-listener", autoStartup = "true", concurrency = "2")
        void onSpel(byte[] body, dev.jstomp.StompMessage message) {
        }
    }

    static class BadListener {
        @StompListener("/queue/x")
        void twoPayloads(String a, String b) {
        }
    }

    private static int deadPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
