package dev.jstomp.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.broker.EmbeddedArtemis;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Exact meter values after real traffic on the embedded Artemis, over TCP and WebSocket. */
class StompMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(value = TestBrokers.class, names = {"ARTEMIS_TCP", "ARTEMIS_WS"})
    void countsFramesBytesMessagesReceiptsAndCallbacks(TestBrokers broker) throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        String topic = TestBrokers.uniqueTopic("counts");
        List<StompMessage> received = new CopyOnWriteArrayList<>();
        long bodyBytes = 0;
        try (StompClient client = broker.client()) {
            StompMetrics.bind(client, registry, StompMetrics.options().tag("client", "test"));
            assertThat(gauge(registry, "jstomp.connection.state", "state", "disconnected")).isEqualTo(1);
            broker.connect(client);
            assertThat(gauge(registry, "jstomp.connection.state", "state", "connected")).isEqualTo(1);
            TestBrokers.subscribed(client, topic, received::add);
            for (int i = 0; i < 10; i++) {
                String body = "message number " + i + " é";
                bodyBytes += body.getBytes(StandardCharsets.UTF_8).length;
                client.send(topic, Map.of(), body);
            }
            client.sendWithReceipt(topic, Map.of(), "receipted").get(10, TimeUnit.SECONDS);
            bodyBytes += "receipted".length();
            await().atMost(WAIT).until(() -> received.size() == 11);
            long sentBytes = bodyBytes;
            await().atMost(WAIT).untilAsserted(() -> assertThat(count(registry, "jstomp.callbacks", "outcome", "success"))
                    .isEqualTo(11));

            assertThat(counter(registry, "jstomp.messages.sent")).isEqualTo(11);
            assertThat(counter(registry, "jstomp.messages.received")).isEqualTo(11);
            assertThat(counter(registry, "jstomp.frames.sent", "command", "SEND")).isEqualTo(11);
            assertThat(counter(registry, "jstomp.frames.sent", "command", "CONNECT")).isEqualTo(1);
            assertThat(counter(registry, "jstomp.frames.sent", "command", "SUBSCRIBE")).isEqualTo(1);
            assertThat(counter(registry, "jstomp.frames.received", "command", "CONNECTED")).isEqualTo(1);
            assertThat(counter(registry, "jstomp.frames.received", "command", "MESSAGE")).isEqualTo(11);
            assertThat(counter(registry, "jstomp.frames.received", "command", "RECEIPT")).isEqualTo(2);
            assertThat(counter(registry, "jstomp.frames.sent.body", "command", "SEND")).isEqualTo(sentBytes);
            assertThat(counter(registry, "jstomp.frames.received.body", "command", "MESSAGE")).isEqualTo(sentBytes);
            // The SEND's receipt came through sendWithReceipt, the SUBSCRIBE's through watchForReceipt.
            assertThat(count(registry, "jstomp.receipts", "command", "SEND")).isEqualTo(1);
            assertThat(count(registry, "jstomp.receipts", "command", "OTHER")).isEqualTo(1); // watchForReceipt: any frame
            assertThat(counter(registry, "jstomp.connects")).isEqualTo(1);
            assertThat(counter(registry, "jstomp.reconnects")).isZero();
            assertThat(registry.find("jstomp.connection.failures").meters()).isEmpty();
            // Every meter carries the transport, the broker and the user's tag; none the passcode.
            String transport = broker == TestBrokers.ARTEMIS_TCP ? "tcp" : "websocket";
            for (Meter meter : registry.getMeters()) {
                assertThat(meter.getId().getTags()).contains(Tag.of("transport", transport),
                        Tag.of("broker", "127.0.0.1:" + TestBrokers.artemis().port()), Tag.of("client", "test"));
                assertThat(meter.getId().getTags()).noneMatch(tag -> tag.getValue().contains(EmbeddedArtemis.PASSWORD));
            }
            client.disconnectAsync().get(10, TimeUnit.SECONDS);
            assertThat(count(registry, "jstomp.receipts", "command", "DISCONNECT")).isEqualTo(1);
            assertThat(gauge(registry, "jstomp.connection.state", "state", "disconnected")).isEqualTo(1);
            assertThat(gauge(registry, "jstomp.connection.state", "state", "connected")).isZero();
        }
    }

    @Test
    void destinationTagOnlyWhenAskedFor() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        String topic = TestBrokers.uniqueTopic("tagged");
        CountDownLatch two = new CountDownLatch(2);
        try (StompClient client = TestBrokers.ARTEMIS_TCP.client()) {
            StompMetrics.bind(client, registry, StompMetrics.options().destinationTag(true));
            TestBrokers.ARTEMIS_TCP.connect(client);
            TestBrokers.subscribed(client, topic, message -> two.countDown());
            client.send(topic, Map.of(), "a");
            client.send(topic, Map.of(), "b");
            assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).untilAsserted(() -> assertThat(count(registry, "jstomp.callbacks", "destination", topic))
                    .isEqualTo(2));
            assertThat(counter(registry, "jstomp.messages.sent", "destination", topic)).isEqualTo(2);
            assertThat(counter(registry, "jstomp.messages.received", "destination", topic)).isEqualTo(2);
        }
        MeterRegistry untagged = new SimpleMeterRegistry();
        try (StompClient client = TestBrokers.ARTEMIS_TCP.client()) {
            StompMetrics.bind(client, untagged);
            TestBrokers.ARTEMIS_TCP.connect(client);
            client.send(topic, Map.of(), "c");
            await().atMost(WAIT).until(() -> counter(untagged, "jstomp.messages.sent") == 1);
            assertThat(untagged.getMeters()).allMatch(meter -> meter.getId().getTag("destination") == null);
        }
    }

    @Test
    void callbackOutcomesAreTimedApartBeforeAndAfterTheFirstSuccess() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        String topic = TestBrokers.uniqueTopic("outcomes");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (StompClient client = TestBrokers.ARTEMIS_TCP.client()) {
            StompMetrics.bind(client, registry);
            TestBrokers.ARTEMIS_TCP.connect(client);
            TestBrokers.subscribed(client, topic, message -> {
                seen.add(message.body());
                if (message.body().startsWith("fail")) {
                    throw new IllegalStateException("the listener failed, as this test asks");
                }
            });
            // Error, success, error, success, success: the success timer is looked up once and kept, the error
            // one is still found after it.
            for (String body : List.of("fail 1", "ok 1", "fail 2", "ok 2", "ok 3")) {
                client.send(topic, Map.of(), body);
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(count(registry, "jstomp.callbacks", "outcome", "success")
                    + count(registry, "jstomp.callbacks", "outcome", "error")).isEqualTo(5));
            assertThat(seen).containsExactly("fail 1", "ok 1", "fail 2", "ok 2", "ok 3");
            assertThat(count(registry, "jstomp.callbacks", "outcome", "success")).isEqualTo(3);
            assertThat(count(registry, "jstomp.callbacks", "outcome", "error")).isEqualTo(2);
            assertThat(counter(registry, "jstomp.messages.received")).isEqualTo(5);
            assertThat(counter(registry, "jstomp.frames.received", "command", "MESSAGE")).isEqualTo(5);
            assertThat(counter(registry, "jstomp.messages.sent")).isEqualTo(5);
        }
    }

    @Test
    void reconnectsAfterABrokerRestartAndGaugesTheHeldSendsMeanwhile() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedArtemis own = new EmbeddedArtemis().start();
                StompClient client = Stomp.overTCP("127.0.0.1", own.port())) {
            StompMetrics.bind(client, registry);
            client.reconnectDelay(100).reconnectMaxDelay(500);
            client.connectAsync(Map.of("login", own.user(), "passcode", own.password())).get(10, TimeUnit.SECONDS);
            String queue = "/queue/jstomp-micrometer-held";
            own.stop();
            await().atMost(WAIT).until(() -> client.state() == ConnectionState.RECONNECTING);
            client.send(queue, Map.of(), "held one");
            client.send(queue, Map.of(), "held two");
            assertThat(gauge(registry, "jstomp.sends.held")).isEqualTo(2);
            assertThat(gauge(registry, "jstomp.sends.held.bytes")).isEqualTo(16);
            assertThat(gauge(registry, "jstomp.connection.state", "state", "reconnecting")).isEqualTo(1);
            own.start();
            await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
            await().atMost(WAIT).until(() -> counter(registry, "jstomp.messages.sent") == 2);
            assertThat(gauge(registry, "jstomp.sends.held")).isZero();
            // Both written: nothing left queued for the socket.
            await().atMost(WAIT).until(() -> gauge(registry, "jstomp.outbound.buffer") == 0);
            assertThat(counter(registry, "jstomp.connects")).isEqualTo(1);
            assertThat(counter(registry, "jstomp.reconnects")).isEqualTo(1);
            assertThat(counter(registry, "jstomp.connection.failures", "phase", "established")).isEqualTo(1);
            assertThat(counter(registry, "jstomp.frames.sent", "command", "CONNECT")).isEqualTo(2);
            // Attempts made while the broker was down failed before a session was established.
            assertThat(registry.find("jstomp.connection.failures").tag("phase", "connect").counters())
                    .allMatch(failure -> failure.getId().getTag("reason").equals("connection"));
        }
    }

    @Test
    void gaugesTheInboundBacklogWhileACallbackIsBusy() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        String topic = TestBrokers.uniqueTopic("backlog");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch three = new CountDownLatch(3);
        try (StompClient client = TestBrokers.ARTEMIS_TCP.client()) {
            StompMetrics.bind(client, registry);
            TestBrokers.ARTEMIS_TCP.connect(client);
            TestBrokers.subscribed(client, topic, message -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                three.countDown();
            });
            for (int i = 0; i < 3; i++) {
                client.send(topic, Map.of(), "0123456789");
            }
            System.gc(); // the registry holds the gauges' objects weakly: the live client must keep them
            // Each waiting message weighs its body plus 512 bytes of overhead (what inbound flow control counts).
            await().atMost(WAIT).until(() -> gauge(registry, "jstomp.inbound.backlog") == 3 * (10 + 512));
            release.countDown();
            assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> gauge(registry, "jstomp.inbound.backlog") == 0);
        }
    }

    /** The README's Prometheus example: what a scrape shows for one message sent and received. */
    @Test
    void aPrometheusScrapeShowsTheMeters() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String topic = TestBrokers.uniqueTopic("prometheus");
        CountDownLatch one = new CountDownLatch(1);
        try (StompClient client = TestBrokers.ARTEMIS_TCP.client()) {
            StompMetrics.bind(client, prometheus);
            TestBrokers.ARTEMIS_TCP.connect(client);
            TestBrokers.subscribed(client, topic, message -> one.countDown());
            client.send(topic, Map.of(), "0123456789");
            assertThat(one.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> count(prometheus, "jstomp.callbacks") == 1);
            // Prometheus lists the tags in alphabetical order: broker, command/outcome/state, transport.
            String broker = "broker=\"127.0.0.1:" + TestBrokers.artemis().port() + "\",";
            String tcp = "transport=\"tcp\"";
            assertThat(prometheus.scrape()).contains(
                    "jstomp_messages_sent_total{" + broker + tcp + "} 1.0",
                    "jstomp_messages_received_total{" + broker + tcp + "} 1.0",
                    "jstomp_frames_sent_body_bytes_total{" + broker + "command=\"SEND\"," + tcp + "} 10.0",
                    "jstomp_connection_state{" + broker + "state=\"connected\"," + tcp + "} 1.0",
                    "jstomp_callbacks_seconds_count{" + broker + "outcome=\"success\"," + tcp + "} 1",
                    "jstomp_inbound_backlog_bytes{" + broker + tcp + "} 0.0");
        }
    }

    @Test
    void observersAreAddedBeforeConnectOnly() throws Exception {
        try (StompClient client = TestBrokers.ARTEMIS_TCP.client()) {
            TestBrokers.ARTEMIS_TCP.connect(client);
            assertThatThrownBy(() -> StompMetrics.bind(client, new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("before connect()");
        }
    }

    static double counter(MeterRegistry registry, String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    static long count(MeterRegistry registry, String name, String... tags) {
        var timer = registry.find(name).tags(tags).timer();
        return timer == null ? 0 : timer.count();
    }

    static double gauge(MeterRegistry registry, String name, String... tags) {
        var gauge = registry.find(name).tags(tags).gauge();
        assertThat(gauge).as("gauge %s %s", name, List.of(tags)).isNotNull();
        return gauge.value();
    }
}
