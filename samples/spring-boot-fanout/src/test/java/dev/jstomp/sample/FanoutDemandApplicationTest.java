package dev.jstomp.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * Smoke test: the sample on the embedded broker publishes, receives, has jstomp UP in its health, and shows
 * the jstomp.* meters over HTTP on the metrics and Prometheus endpoints (a real server on a random port).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FanoutDemandApplicationTest {

    static final EmbeddedArtemis BROKER = new EmbeddedArtemis().start();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) {
        FanoutDemandApplication.embeddedBroker(BROKER).forEach((name, value) -> registry.add(name, () -> value));
        registry.add("demand.publish-every", () -> "100ms");
    }

    @AfterAll
    static void stop() {
        BROKER.close();
    }

    @Autowired DemandListener listener;
    @Autowired HealthContributorRegistry health;
    @LocalServerPort int port;

    @Test
    void demandsArePublishedAndReceivedAndHealthShowsJstompUp() {
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.received() >= 3);

        Health jstomp = ((HealthIndicator) health.getContributor("jstomp")).health(true);
        assertThat(jstomp.getStatus()).isEqualTo(Status.UP);
        assertThat(jstomp.getDetails()).containsEntry("state", "CONNECTED");
    }

    @Test
    void theActuatorShowsTheJstompMeters() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.received() >= 2);

        String received = get("/actuator/metrics/jstomp.messages.received");
        assertThat(received).contains("\"name\":\"jstomp.messages.received\"", "\"statistic\":\"COUNT\"");
        double count = Double.parseDouble(received.replaceAll("(?s).*\"statistic\":\"COUNT\",\"value\":([0-9.]+).*", "$1"));
        assertThat(count).isGreaterThanOrEqualTo(2);
        assertThat(get("/actuator/metrics")).contains("\"jstomp.messages.sent\"", "\"jstomp.connection.state\"");
        assertThat(get("/actuator/prometheus")).contains("jstomp_messages_received_total{", "jstomp_messages_sent_total{",
                "jstomp_connection_state{");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
