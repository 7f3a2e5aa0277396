package dev.jstomp.internal.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jstomp.Broker;

/** The first request, capped, becomes each broker's own limit on unacknowledged messages. */
class DemandWindowTest {

    private static final Map<String, String> CLIENT_INDIVIDUAL = Map.of("ack", "client-individual");

    @Test
    void theWindowIsTheFirstRequestUnderTheCap() {
        assertThat(DemandWindow.window(5, 32)).isEqualTo(5);
        assertThat(DemandWindow.window(32, 32)).isEqualTo(32);
        assertThat(DemandWindow.window(33, 32)).isEqualTo(32);
        assertThat(DemandWindow.window(Long.MAX_VALUE, 32)).isEqualTo(32); // an unbounded subscriber
        assertThat(DemandWindow.window(1, 1)).isEqualTo(1);
    }

    @Test
    void badRequestsAndCapsAreRefused() {
        assertThatThrownBy(() -> DemandWindow.window(0, 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requested");
        assertThatThrownBy(() -> DemandWindow.window(5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be at least 1, not 0");
    }

    @Test
    void eachBrokerGetsItsOwnHeader() {
        assertThat(DemandWindow.subscribeHeaders(CLIENT_INDIVIDUAL, Broker.RABBITMQ, 5))
                .containsEntry("prefetch-count", "5").hasSize(2);
        assertThat(DemandWindow.subscribeHeaders(CLIENT_INDIVIDUAL, Broker.ACTIVEMQ_CLASSIC, 5))
                .containsEntry("activemq.prefetchSize", "5").hasSize(2);
        assertThat(DemandWindow.subscribeHeaders(CLIENT_INDIVIDUAL, Broker.ARTEMIS, 5))
                .containsEntry("consumer-window-size", Integer.toString(5 * DemandWindow.ARTEMIS_BYTES_PER_MESSAGE));
        // One at a time is exact on Artemis too: the first message exhausts a 1-byte window.
        assertThat(DemandWindow.subscribeHeaders(CLIENT_INDIVIDUAL, Broker.ARTEMIS, 1))
                .containsEntry("consumer-window-size", "1");
        assertThat(DemandWindow.subscribeHeaders(Map.of("ack", "client"), Broker.RABBITMQ, 7))
                .containsEntry("prefetch-count", "7");
    }

    @Test
    void autoAcknowledgementHasNoWindowAndAnUnknownBrokerNoHeader() {
        assertThat(DemandWindow.subscribeHeaders(Map.of(), Broker.RABBITMQ, 5)).isEmpty();
        assertThat(DemandWindow.subscribeHeaders(Map.of("ack", "auto"), Broker.ARTEMIS, 5)).containsOnlyKeys("ack");
        assertThat(DemandWindow.subscribeHeaders(CLIENT_INDIVIDUAL, null, 5)).isEqualTo(CLIENT_INDIVIDUAL);
        assertThat(DemandWindow.clientAcks(Map.of("ack", "CLIENT-INDIVIDUAL"))).isTrue();
        assertThat(DemandWindow.clientAcks(Map.of())).isFalse();
    }

    @Test
    void aWindowHeaderOfTheCallersIsKept() {
        Map<String, String> own = Map.of("ack", "client", "consumer-window-size", "-1");
        assertThat(DemandWindow.subscribeHeaders(own, Broker.ARTEMIS, 5)).isEqualTo(own);
        Map<String, String> prefetch = Map.of("ack", "client", "prefetch-count", "100");
        assertThat(DemandWindow.subscribeHeaders(prefetch, Broker.RABBITMQ, 5)).isEqualTo(prefetch);
    }

    @Test
    void theBrokerIsKnownByItsServerHeader() {
        assertThat(DemandWindow.broker("RabbitMQ/3.10.8")).isEqualTo(Broker.RABBITMQ);
        assertThat(DemandWindow.broker("ActiveMQ-Artemis/2.55.0 ActiveMQ Artemis Messaging Engine"))
                .isEqualTo(Broker.ARTEMIS);
        assertThat(DemandWindow.broker("ActiveMQ/5.17.2")).isEqualTo(Broker.ACTIVEMQ_CLASSIC);
        assertThat(DemandWindow.broker("Apache Apollo/1.7")).isNull();
        assertThat(DemandWindow.broker(null)).isNull();
    }
}
