package dev.jstomp.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * Smoke test: the sample on the embedded broker publishes, receives, and has jstomp UP in its health (no web
 * server, to keep it quick; the endpoints are Boot's own).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class FanoutDemandApplicationTest {

    static final EmbeddedArtemis BROKER = new EmbeddedArtemis().start();

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

    @Test
    void demandsArePublishedAndReceivedAndHealthShowsJstompUp() {
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.received() >= 3);

        Health jstomp = ((HealthIndicator) health.getContributor("jstomp")).health(true);
        assertThat(jstomp.getStatus()).isEqualTo(Status.UP);
        assertThat(jstomp.getDetails()).containsEntry("state", "CONNECTED");
    }
}
