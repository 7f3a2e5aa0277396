package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.StompException;
import dev.jstomp.StompMessage;

/**
 * ACK and NACK in {@code client} and {@code client-individual} modes: what is not acknowledged goes to the
 * next subscriber once the first one disconnects.
 */
class AcknowledgementIT {

    @RegisterExtension
    static final ArtemisExtension broker = new ArtemisExtension();

    private static StompMessage next(BlockingQueue<StompMessage> queue) throws InterruptedException {
        StompMessage message = queue.poll(20, TimeUnit.SECONDS);
        assertThat(message).as("a message within 20 s").isNotNull();
        return message;
    }

    private static List<String> receive(BlockingQueue<StompMessage> queue, int count) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(next(queue).body());
        }
        return bodies;
    }

    /** Sends the bodies, then makes sure the broker has them all before the consumer starts. */
    private static void produce(Transport transport, String destination, String... bodies) throws Exception {
        try (StompClient producer = transport.connected(broker)) {
            for (String body : bodies) {
                producer.send(destination, Map.of(), body);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientIndividualRedeliversOnlyTheUnacknowledged(Transport transport) throws Exception {
        String destination = transport.queue("ack-individual");
        produce(transport, destination, "m1", "m2", "m3");
        try (StompClient first = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            first.subscribe(destination, received::add, Map.of("ack", "client-individual"));
            StompMessage m1 = next(received);
            next(received);
            StompMessage m3 = next(received);
            m1.ack();
            m3.ack();
            first.disconnectAsync().get(10, TimeUnit.SECONDS);
        }
        try (StompClient second = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            second.subscribe(destination, received::add, Map.of("ack", "client-individual"));
            StompMessage redelivered = next(received);
            assertThat(redelivered.body()).isEqualTo("m2");
            assertThat(redelivered.header("redelivered")).isEqualTo("true");
            redelivered.ack();
            assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("nothing but m2 is redelivered").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientModeAcknowledgesCumulatively(Transport transport) throws Exception {
        String destination = transport.queue("ack-client");
        produce(transport, destination, "m1", "m2", "m3");
        try (StompClient first = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            first.subscribe(destination, received::add, Map.of("ack", "client"));
            next(received);
            StompMessage m2 = next(received);
            next(received);
            m2.ack(); // acknowledges m1 as well
            first.disconnectAsync().get(10, TimeUnit.SECONDS);
        }
        try (StompClient second = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            second.subscribe(destination, received::add, Map.of("ack", "client"));
            assertThat(receive(received, 1)).containsExactly("m3");
        }
    }

    /**
     * Artemis discards a NACKed message (its StompFrameHandlerV11.onNack calls onAck: "it never be
     * redelivered again"); RabbitMQ requeues it (see the RabbitMQ suite). The unacknowledged m2 proves the
     * second subscriber would have seen m1 had the NACK not reached the broker.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nackReachesTheBrokerWhichDiscardsTheMessage(Transport transport) throws Exception {
        String destination = transport.queue("nack");
        produce(transport, destination, "m1", "m2");
        try (StompClient first = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            first.subscribe(destination, received::add, Map.of("ack", "client-individual"));
            StompMessage m1 = next(received);
            assertThat(m1.body()).isEqualTo("m1");
            assertThat(next(received).body()).isEqualTo("m2");
            m1.nack();
            first.disconnectAsync().get(10, TimeUnit.SECONDS);
        }
        try (StompClient second = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            second.subscribe(destination, received::add, Map.of("ack", "client-individual"));
            assertThat(next(received).body()).isEqualTo("m2");
            assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("m1 was NACKed, so Artemis dropped it").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void ackOnAnAutoSubscriptionFailsClearly(Transport transport) throws Exception {
        String destination = transport.queue("ack-auto");
        try (StompClient client = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            client.subscribe(destination, received::add);
            client.send(destination, Map.of(), "auto");
            StompMessage message = next(received);
            assertThatThrownBy(message::ack).isInstanceOf(StompException.class).hasMessageContaining("ack:auto");
        }
    }
}
