package dev.jstomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DestinationsTest {

    @Test
    void rabbitDestinations() {
        assertThat(Destinations.rabbitExchange("logs")).isEqualTo("/exchange/logs");
        assertThat(Destinations.rabbitExchange("logs", "app.error")).isEqualTo("/exchange/logs/app.error");
        assertThat(Destinations.rabbitExchange("amq.topic", "orders.#")).isEqualTo("/exchange/amq.topic/orders.#");
        assertThat(Destinations.rabbitQueue("work")).isEqualTo("/queue/work");
        assertThat(Destinations.rabbitAmqQueue("declared")).isEqualTo("/amq/queue/declared");
        assertThat(Destinations.rabbitTopic("stocks.*.nyse")).isEqualTo("/topic/stocks.*.nyse");
        assertThat(Destinations.rabbitTempQueue("replies")).isEqualTo("/temp-queue/replies");
    }

    @Test
    void aSlashInANameIsEncodedAsRabbitMqExpects() {
        // RabbitMQ splits destinations at '/' and decodes %2F in each part.
        assertThat(Destinations.rabbitExchange("a/b", "c/d")).isEqualTo("/exchange/a%2Fb/c%2Fd");
        assertThat(Destinations.rabbitQueue("x/y")).isEqualTo("/queue/x%2Fy");
    }

    @Test
    void emptyOrNullNamesAreRefused() {
        assertThatThrownBy(() -> Destinations.rabbitQueue("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue");
        assertThatThrownBy(() -> Destinations.rabbitExchange("logs", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> Destinations.rabbitExchange(null)).isInstanceOf(NullPointerException.class);
    }
}
