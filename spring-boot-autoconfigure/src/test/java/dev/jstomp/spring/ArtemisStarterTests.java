package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;
import dev.jstomp.broker.EmbeddedArtemis;

/**
 * The starter against the embedded Artemis, run over TCP and over WebSocket by the two subclasses: a
 * JSON record through StompTemplate and a @StompListener, @Header, generic payloads, health, a broker
 * restart, and the context's close.
 */
abstract class ArtemisStarterTests {

    @Autowired StompTemplate stomp;
    @Autowired StompClient client;
    @Autowired ArtemisApp.OrderListeners listeners;
    @Autowired HealthContributorRegistry health;
    @Autowired ArtemisApp.RecordingErrorHandler errors;
    @Autowired Environment environment;

    abstract EmbeddedArtemis broker();

    abstract String url();

    static String[] properties(String url, EmbeddedArtemis broker) {
        return new String[] {"jstomp.url=" + url, "jstomp.login=" + broker.user(), "jstomp.passcode=" + broker.password(),
                "jstomp.reconnect-delay=200ms", "jstomp.reconnect-max-delay=500ms",
                "test.orders=/queue/" + Brokers.unique("orders"), "test.batches=/queue/" + Brokers.unique("batches"),
                "test.texts=/queue/" + Brokers.unique("texts")};
    }

    @Test
    void aJsonRecordGoesThroughTheTemplateToTheListenerWithItsHeader() throws Exception {
        Order order = new Order("o-1", 3, List.of("tea", "milk"));
        StompFrame receipt = stomp.sendWithReceipt(destination("test.orders"), Map.of("priority", "9"), order)
                .get(5, TimeUnit.SECONDS);
        assertThat(receipt.command()).isEqualTo("RECEIPT");

        ArtemisApp.Received received = listeners.orders.poll(5, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.order()).isEqualTo(order);
        assertThat(received.priority()).isEqualTo("9");
        assertThat(received.messageId()).isNotBlank();
    }

    @Test
    void genericPayloadsAndTextReachTheirListeners() throws Exception {
        List<Order> batch = List.of(new Order("a", 1, List.of()), new Order("b", 2, List.of("x")));
        stomp.send(destination("test.batches"), batch);
        stomp.send(destination("test.texts"), "plain text");

        assertThat(listeners.batches.poll(5, TimeUnit.SECONDS)).isEqualTo(batch);
        assertThat(listeners.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("plain text");
    }

    @Test
    void aBodyThatIsNotJsonGoesToTheApplicationsErrorHandlerAndTheListenerGoesOn() throws Exception {
        stomp.send(destination("test.batches"), "not json");

        StompListenerFailure failure = errors.failures.poll(5, TimeUnit.SECONDS);
        assertThat(failure).isNotNull();
        assertThat(failure.destination()).isEqualTo(destination("test.batches"));
        assertThat(failure.listener()).isEqualTo("OrderListeners.onBatch");
        assertThat(failure.clientAck()).isFalse();
        assertThat(failure.messageId()).isNotEqualTo("?");
        assertThat(failure.cause()).isInstanceOf(tools.jackson.core.JacksonException.class);

        List<Order> batch = List.of(new Order("next", 1, List.of()));
        stomp.send(destination("test.batches"), batch);
        assertThat(listeners.batches.poll(5, TimeUnit.SECONDS)).isEqualTo(batch);
    }

    @Test
    void concurrencyTwoMakesTwoCompetingConsumersOnTheQueue() throws Exception {
        listeners.texts.clear();
        for (int i = 0; i < 20; i++) {
            stomp.send(destination("test.texts"), "t" + i);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String text = listeners.texts.poll(5, TimeUnit.SECONDS);
            assertThat(text).as("text %d of 20", i + 1).isNotNull();
            got.add(text);
        }
        assertThat(got).hasSize(20).doesNotHaveDuplicates();
        assertThat(listeners.texts.poll(200, TimeUnit.MILLISECONDS)).as("each message once").isNull();
        assertThat(listeners.textSubscriptions).as("both subscriptions got messages").hasSize(2);
    }

    @Test
    void healthIsUpWithTheBrokerAddress() {
        HealthIndicator jstomp = (HealthIndicator) health.getContributor("jstomp");
        assertThat(jstomp).as("the 'jstomp' health component").isNotNull();
        Health up = jstomp.health(true);
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("state", "CONNECTED").containsKey("broker");
        assertThat(up.toString()).doesNotContain(broker().password());
    }

    @Test
    void aBrokerRestartTurnsHealthDownThenUpAndListenersReceiveAgain() throws Exception {
        HealthIndicator jstomp = (HealthIndicator) health.getContributor("jstomp");
        broker().stop();
        try {
            // lastError reaches the indicator through the client's callback lane, just after the state changes.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Health down = jstomp.health(true);
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(down.getDetails()).containsEntry("state", "RECONNECTING").containsKey("reconnectAttempt")
                        .containsKey("lastError");
                assertThat(down.toString()).doesNotContain(broker().password());
            });
        } finally {
            broker().start();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> jstomp.health(true).getStatus().equals(Status.UP));

        // The listener's subscription came back with the connection (a fresh broker: the queue is new).
        Order order = new Order("after-restart", 1, List.of());
        stomp.sendWithReceipt(destination("test.orders"), Map.of("priority", "1"), order).get(5, TimeUnit.SECONDS);
        ArtemisApp.Received received = listeners.orders.poll(5, TimeUnit.SECONDS);
        assertThat(received).isNotNull();
        assertThat(received.order()).isEqualTo(order);
    }

    @Test
    void closingTheContextDisconnectsAndLeavesNoJstompThread() {
        Set<Thread> before = Brokers.jstompThreads();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ArtemisApp.class)
                .properties(properties(url(), broker())).run();
        StompClient own = context.getBean(StompClient.class);
        assertThat(own.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(own).isNotSameAs(client);

        context.close();

        assertThat(own.state()).isEqualTo(ConnectionState.DISCONNECTED);
        // The client ran on the JVM's shared StompResources, which the class's own client keeps in use: what
        // this context's connect added there (a handshake thread, say) idles out within the pools' keep-alive
        // (at most 10 s); a thread that stays longer is a leak.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<Thread> left = Brokers.jstompThreads();
            left.removeAll(before);
            assertThat(left).as("jstomp threads the closed context left").isEmpty();
        });
    }

    private String destination(String property) {
        return Objects.requireNonNull(environment.getProperty(property), property);
    }
}
