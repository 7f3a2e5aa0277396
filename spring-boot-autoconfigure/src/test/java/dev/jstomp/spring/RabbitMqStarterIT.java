package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import dev.jstomp.StompErrorFrameException;
import dev.jstomp.spring.internal.JstompFailureAnalyzer;

/**
 * The starter against the real RabbitMQ, configured with three lines (url, login and the host; the passcode
 * comes from a StompConnectHeaders bean): the seed's fanout published over AMQP, NACK on exception
 * redelivered, a JSON record round trip, and refused credentials at start-up analysed.
 */
@SpringBootTest(classes = RabbitApp.class)
class RabbitMqStarterIT {

    static final String EXCHANGE = Brokers.unique("FanoutDemandExchange");
    static final String FLAKY = Brokers.unique("flaky");
    static final String ORDERS = Brokers.unique("orders");
    private static final String PROBE = "probe";
    private static Connection amqp;
    private static Channel channel;

    @Autowired RabbitApp.Listeners listeners;
    @Autowired StompTemplate stomp;

    @BeforeAll
    static void declareTheExchange() throws Exception {
        Brokers.requireRabbitMq();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(Brokers.HOST);
        factory.setPort(Brokers.RABBITMQ_AMQP);
        factory.setUsername(Brokers.RABBITMQ_USER);
        factory.setPassword(Brokers.RABBITMQ_PASSWORD);
        amqp = factory.newConnection();
        channel = amqp.createChannel();
        // The publishing service owns the exchange; a STOMP subscription to a missing one is an ERROR.
        channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.FANOUT, false, true, null);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (channel != null) {
            channel.exchangeDelete(EXCHANGE);
            channel.queueDelete(FLAKY);
            channel.queueDelete(ORDERS);
            amqp.close();
        }
    }

    @DynamicPropertySource
    static void rabbitMq(DynamicPropertyRegistry registry) {
        registry.add("jstomp.url", () -> "tcp://" + Brokers.HOST + ":" + Brokers.RABBITMQ_STOMP);
        registry.add("jstomp.login", () -> Brokers.RABBITMQ_USER);
        registry.add("jstomp.host", () -> "/");
        registry.add("test.exchange", () -> EXCHANGE);
        registry.add("test.flaky", () -> FLAKY);
        registry.add("test.orders", () -> ORDERS);
    }

    @Test
    void theSeedScenarioEveryDemandPublishedOverAmqpReachesTheListenerInOrder() throws Exception {
        // A fanout drops what it gets before the listener's queue is bound (the SUBSCRIBE is asynchronous): probe
        // until one arrives; later probes, if any, arrive before the demands and are left out.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            channel.basicPublish(EXCHANGE, "", null, PROBE.getBytes(StandardCharsets.UTF_8));
            return PROBE.equals(listeners.demands.poll(200, TimeUnit.MILLISECONDS));
        });
        List<String> published = IntStream.range(0, 50).mapToObj(i -> "{\"demand\":" + i + "}").toList();
        for (String demand : published) {
            channel.basicPublish(EXCHANGE, "", null, demand.getBytes(StandardCharsets.UTF_8));
        }
        List<String> received = new ArrayList<>();
        while (received.size() < published.size()) {
            String demand = listeners.demands.poll(5, TimeUnit.SECONDS);
            assertThat(demand).as("demand %d of %d", received.size() + 1, published.size()).isNotNull();
            if (!PROBE.equals(demand)) {
                received.add(demand);
            }
        }
        assertThat(received).isEqualTo(published);
    }

    @Test
    void aListenerThatThrowsGetsTheMessageNackedAndRedelivered() throws Exception {
        stomp.send("/queue/" + FLAKY, "job-1");

        assertThat(listeners.deliveries.poll(5, TimeUnit.SECONDS)).isEqualTo("job-1 redelivered=false");
        assertThat(listeners.deliveries.poll(5, TimeUnit.SECONDS)).isEqualTo("job-1 redelivered=true");
        // ACKed on the second, normal return: not delivered a third time.
        assertThat(listeners.deliveries.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aJsonRecordRoundTrip() throws Exception {
        Order order = new Order("r-1", 2, List.of("bread"));
        stomp.sendWithReceipt("/queue/" + ORDERS, Map.of(), order).get(5, TimeUnit.SECONDS);

        assertThat(listeners.orders.poll(5, TimeUnit.SECONDS)).isEqualTo(order);
    }

    @Test
    void refusedCredentialsFailTheStartWithAReportThatNamesWhatToCheck() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(MinimalApp.class).properties(
                "jstomp.url=tcp://" + Brokers.HOST + ":" + Brokers.RABBITMQ_STOMP, "jstomp.login=guest",
                "jstomp.passcode=wrong-pass-77", "jstomp.host=/").run().close());

        assertThat(failure).hasRootCauseInstanceOf(StompErrorFrameException.class);
        FailureAnalysis analysis = new JstompFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("jstomp could not connect", "61613");
        assertThat(analysis.getAction()).contains("jstomp.login and jstomp.passcode");
        assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("wrong-pass-77");
    }

    @org.springframework.boot.SpringBootConfiguration
    @org.springframework.boot.autoconfigure.EnableAutoConfiguration
    static class MinimalApp {
    }
}
