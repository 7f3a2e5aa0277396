package dev.jstomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SubscribeHeadersTest {

    @Test
    void prefetchWritesEachBrokersHeader() {
        assertThat(SubscribeHeaders.prefetch(Broker.RABBITMQ, 10)).isEqualTo(Map.of("prefetch-count", "10"));
        assertThat(SubscribeHeaders.prefetch(Broker.ACTIVEMQ_CLASSIC, 10))
                .isEqualTo(Map.of("activemq.prefetchSize", "10"));
        assertThat(SubscribeHeaders.prefetch(Broker.ARTEMIS, 1)).isEqualTo(Map.of("consumer-window-size", "1"));
    }

    @Test
    void artemisCountsBytesSoOnlyOneMessageHasAnEquivalent() {
        assertThatThrownBy(() -> SubscribeHeaders.prefetch(Broker.ARTEMIS, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumerWindowSize(bytes)");
        assertThat(SubscribeHeaders.consumerWindowSize(65_536)).isEqualTo(Map.of("consumer-window-size", "65536"));
        assertThat(SubscribeHeaders.consumerWindowSize(-1)).isEqualTo(Map.of("consumer-window-size", "-1"));
        assertThatThrownBy(() -> SubscribeHeaders.consumerWindowSize(-2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefetchNeedsAtLeastOneMessage() {
        assertThatThrownBy(() -> SubscribeHeaders.prefetch(Broker.RABBITMQ, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void durableSubscriptionPerBroker() {
        assertThat(SubscribeHeaders.durable(Broker.ARTEMIS, "audit"))
                .isEqualTo(Map.of("durable-subscription-name", "audit"));
        assertThat(SubscribeHeaders.durable(Broker.ACTIVEMQ_CLASSIC, "audit"))
                .isEqualTo(Map.of("activemq.subscriptionName", "audit"));
        assertThat(SubscribeHeaders.durable(Broker.RABBITMQ, "audit"))
                .isEqualTo(Map.of("durable", "true", "auto-delete", "false", "x-queue-name", "audit"));
    }

    @Test
    void selectorAndRoutingTypes() {
        assertThat(SubscribeHeaders.selector("color = 'red'")).isEqualTo(Map.of("selector", "color = 'red'"));
        assertThat(SubscribeHeaders.anycast()).isEqualTo(Map.of("subscription-type", "ANYCAST"));
        assertThat(SubscribeHeaders.multicast()).isEqualTo(Map.of("subscription-type", "MULTICAST"));
    }
}
