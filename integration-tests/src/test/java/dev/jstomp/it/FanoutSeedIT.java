package dev.jstomp.it;

import static dev.jstomp.it.Timeouts.QUIET;
import static dev.jstomp.it.Timeouts.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;

import dev.jstomp.Destinations;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.StompFrame;
import dev.jstomp.test.StompRecorder;

/**
 * The seed scenario, for real: a Java service publishes with the RabbitMQ AMQP client to a fanout
 * exchange it declares, and jstomp consumers (two over Web-STOMP, one over TCP, as the seed's users run
 * them) each receive every message, in order. A consumer that joins late, over the target's transport,
 * gets only what is published after it joined.
 */
@DisplayName("Seed scenario")
class FanoutSeedIT {

    private static final int FIRST_BATCH = 100;
    private static final int SECOND_BATCH = 20;

    @MatrixTest(value = "AMQP publisher → fanout exchange → /exchange/NAME: 2 Web-STOMP + 1 TCP consumers get every"
            + " message in order; a late joiner (this transport) only later ones",
            only = {Target.RABBITMQ_TCP, Target.RABBITMQ_WS}, otherwise = "RabbitMQ over AMQP 0-9-1")
    void amqpFanoutToStompConsumers(BrokerTarget target) throws Exception {
        String exchange = target.uniqueName("FanoutDemandExchange");
        try (RabbitAdmin service = RabbitAdmin.open()) {
            service.channel().exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false, true, null);
            try {
                List<StompRecorder> early = List.of(consume(target, true, exchange), consume(target, true, exchange),
                        consume(target, false, exchange));
                publish(service, exchange, 0, FIRST_BATCH);
                for (StompRecorder inbox : early) {
                    assertThat(inbox.awaitBodies(FIRST_BATCH, WAIT)).as("every message, in order").isEqualTo(bodies(0, FIRST_BATCH));
                }

                StompRecorder late = consume(target, target.webSocket(), exchange);
                publish(service, exchange, FIRST_BATCH, SECOND_BATCH);
                List<String> later = bodies(FIRST_BATCH, SECOND_BATCH);
                assertThat(late.awaitBodies(SECOND_BATCH, WAIT)).as("the late joiner: only what came after it").isEqualTo(later);
                late.assertNoMoreMessages(QUIET); // nothing from before it joined
                for (StompRecorder inbox : early) {
                    assertThat(inbox.awaitBodies(SECOND_BATCH, WAIT)).isEqualTo(later);
                    inbox.assertNoMoreMessages(QUIET); // each message once
                }
            } finally {
                service.channel().exchangeDelete(exchange);
            }
        }
    }

    /**
     * A consumer as the seed writes it: {@code connect(login, passcode, onConnect, onError, "/")}, then a
     * subscription to the exchange. Returns once RabbitMQ has bound its queue (the SUBSCRIBE's receipt).
     */
    private static StompRecorder consume(BrokerTarget target, boolean webSocket, String exchange) throws Exception {
        StompClient client = target.track(webSocket ? Stomp.client(Endpoints.RABBITMQ_WS_URL)
                : Stomp.overTCP(Endpoints.HOST, Endpoints.RABBITMQ_STOMP));
        CompletableFuture<StompFrame> connected = new CompletableFuture<>();
        client.connect(Endpoints.RABBITMQ_USER, Endpoints.RABBITMQ_PASSWORD, connected::complete,
                (StompError error) -> connected.completeExceptionally(new AssertionError(error.message())),
                Endpoints.RABBITMQ_VHOST);
        connected.get(10, TimeUnit.SECONDS);
        StompRecorder inbox = StompRecorder.create();
        Receipts.subscribe(client, Destinations.rabbitExchange(exchange), inbox);
        return inbox;
    }

    private static void publish(RabbitAdmin service, String exchange, int from, int count) throws Exception {
        AMQP.BasicProperties json = new AMQP.BasicProperties.Builder().contentType("application/json").build();
        for (String body : bodies(from, count)) {
            service.channel().basicPublish(exchange, "", json, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> bodies(int from, int count) {
        return new ArrayList<>(IntStream.range(from, from + count).mapToObj(i -> "{\"demand\":" + i + "}").toList());
    }
}
