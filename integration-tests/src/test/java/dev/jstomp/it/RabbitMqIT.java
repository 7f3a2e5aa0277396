package dev.jstomp.it;

import static dev.jstomp.it.Timeouts.QUIET;
import static dev.jstomp.it.Timeouts.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import dev.jstomp.Destinations;
import dev.jstomp.SendHeaders;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.test.StompRecorder;

/** RabbitMQ's own destinations and queue headers, checked from the AMQP side where STOMP cannot see. */
@DisplayName("RabbitMQ destinations and headers")
class RabbitMqIT {

    @MatrixTest(value = "/exchange/NAME/KEY: subscribers get only their routing key",
            only = {Target.RABBITMQ_TCP, Target.RABBITMQ_WS}, otherwise = "RabbitMQ destination")
    void exchangeWithRoutingKeys(BrokerTarget target) throws Exception {
        String exchange = target.uniqueName("direct");
        try (RabbitAdmin admin = RabbitAdmin.open()) {
            admin.channel().exchangeDeclare(exchange, "direct", false, true, null);
            StompClient client = target.connected();
            StompRecorder info = StompRecorder.create();
            Receipts.subscribe(client, Destinations.rabbitExchange(exchange, "info"), info);
            client.send(Destinations.rabbitExchange(exchange, "debug"), Map.of(), "not for us");
            client.send(Destinations.rabbitExchange(exchange, "info"), Map.of(), "over STOMP");
            admin.channel().basicPublish(exchange, "info", null, "over AMQP".getBytes(StandardCharsets.UTF_8));
            assertThat(info.awaitBodies(2, WAIT)).containsExactlyInAnyOrder("over STOMP", "over AMQP");
            info.assertNoMoreMessages(QUIET); // routing key 'debug' is not bound
        }
    }

    @MatrixTest(value = "/amq/queue/NAME: an AMQP-declared queue; a missing one is an ERROR",
            only = {Target.RABBITMQ_TCP, Target.RABBITMQ_WS}, otherwise = "RabbitMQ destination")
    void amqQueue(BrokerTarget target) throws Exception {
        String queue = target.uniqueName("amq");
        target.rabbitQueueToDelete(queue);
        try (RabbitAdmin admin = RabbitAdmin.open()) {
            admin.channel().queueDeclare(queue, false, false, false, null);
            admin.channel().basicPublish("", queue, null, "from AMQP".getBytes(StandardCharsets.UTF_8));
        }
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(Destinations.rabbitAmqQueue(queue), received);
        client.send(Destinations.rabbitAmqQueue(queue), Map.of(), "from STOMP");
        assertThat(received.awaitBodies(2, WAIT)).containsExactly("from AMQP", "from STOMP");

        // A queue nobody declared: RabbitMQ does not create it, answers ERROR and closes the connection.
        CompletableFuture<StompError> error = new CompletableFuture<>();
        StompClient other = target.client();
        other.connect(target.connectHeaders(), frame -> { }, error::complete);
        await().atMost(Timeouts.WAIT).until(other::connected);
        other.subscribe(Destinations.rabbitAmqQueue(target.uniqueName("missing")), m -> { });
        StompError failure = error.get(10, TimeUnit.SECONDS);
        if (target.webSocket()) {
            // Web-STOMP 3.10 closes the WebSocket (status 1000, "STOMP died") without sending the ERROR frame.
            assertThat(failure.frame()).as("an ERROR frame").isNull();
            await().atMost(Timeouts.WAIT).until(() -> !other.connected());
            target.unsupported("for a missing /amq/queue/ Web-STOMP closes the WebSocket without the ERROR frame;"
                    + " the TCP plugin sends ERROR not_found");
            return;
        }
        assertThat(failure.frame()).isNotNull();
        assertThat(failure.frame().command()).isEqualTo("ERROR");
        assertThat(failure.message()).contains("not_found");
    }

    @MatrixTest(value = "x-queue-name names the queue; durable:true outlives the connection, auto-delete:true does not",
            only = {Target.RABBITMQ_TCP, Target.RABBITMQ_WS}, otherwise = "RabbitMQ headers")
    void queueHeaders(BrokerTarget target) throws Exception {
        String kept = target.uniqueName("kept");
        String dropped = target.uniqueName("dropped");
        target.rabbitQueueToDelete(kept);
        target.rabbitQueueToDelete(dropped);
        String topic = Destinations.rabbitTopic(target.uniqueName("key"));
        StompClient client = target.connected();
        Receipts.subscribe(client, topic, m -> { }, Map.of("x-queue-name", kept, "durable", "true", "auto-delete", "false"));
        Receipts.subscribe(client, topic, m -> { }, Map.of("x-queue-name", dropped, "durable", "false",
                "auto-delete", "true"));
        try (RabbitAdmin admin = RabbitAdmin.open()) {
            assertThat(admin.queueExists(kept)).as("queue %s while subscribed", kept).isTrue();
            assertThat(admin.queueExists(dropped)).as("queue %s while subscribed", dropped).isTrue();
            client.disconnectAsync().get(10, TimeUnit.SECONDS);
            await().atMost(Timeouts.WAIT).until(() -> !admin.queueExists(dropped));
            assertThat(admin.queueExists(kept)).as("the durable, non-auto-delete queue outlives the connection").isTrue();
        }
    }

    @MatrixTest(value = "persistent:true: the RECEIPT follows the publisher confirm; stored with delivery mode 2",
            only = {Target.RABBITMQ_TCP, Target.RABBITMQ_WS}, otherwise = "checked over AMQP")
    void persistentIsDeliveryMode2(BrokerTarget target) throws Exception {
        String queue = target.uniqueName("persistent");
        target.rabbitQueueToDelete(queue);
        StompClient client = target.connected();
        // /queue/ declares the queue durable; the receipt waits for RabbitMQ's publisher confirm.
        client.sendWithReceipt(Destinations.rabbitQueue(queue), SendHeaders.persistent(), "kept")
                .get(Timeouts.WAIT.toSeconds(), TimeUnit.SECONDS);
        try (RabbitAdmin admin = RabbitAdmin.open()) {
            GetResponse got = admin.channel().basicGet(queue, true);
            assertThat(got).as("the message is on the queue once the RECEIPT arrived").isNotNull();
            AMQP.BasicProperties props = got.getProps();
            assertThat(props.getDeliveryMode()).as("delivery mode (2 = persistent)").isEqualTo(2);
            assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("kept");
        }
    }
}
