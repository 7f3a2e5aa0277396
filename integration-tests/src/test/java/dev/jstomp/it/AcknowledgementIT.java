package dev.jstomp.it;

import static dev.jstomp.it.Timeouts.QUIET;
import static dev.jstomp.it.Timeouts.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;

import dev.jstomp.Broker;
import dev.jstomp.StompClient;
import dev.jstomp.StompException;
import dev.jstomp.StompMessage;
import dev.jstomp.test.StompRecorder;

/**
 * ACK and NACK in {@code client} and {@code client-individual} modes: what is not acknowledged goes to the
 * next subscriber once the first one disconnects.
 */
@DisplayName("Acknowledgement")
class AcknowledgementIT {

    /** Sends the bodies and disconnects (with its receipt), so the broker has them all before a consumer starts. */
    static void produce(BrokerTarget target, String destination, String... bodies) throws Exception {
        StompClient producer = target.connected();
        for (String body : bodies) {
            producer.send(destination, Map.of(), body);
        }
        producer.disconnectAsync().get(10, TimeUnit.SECONDS);
    }

    @MatrixTest("client-individual: only the unacknowledged message is redelivered")
    void clientIndividualRedeliversOnlyTheUnacknowledged(BrokerTarget target) throws Exception {
        String destination = target.queue("ack-individual");
        produce(target, destination, "m1", "m2", "m3");
        StompClient first = target.connected();
        StompRecorder received = StompRecorder.create();
        first.subscribe(destination, received, Map.of("ack", "client-individual"));
        StompMessage m1 = received.awaitMessage(WAIT);
        received.awaitMessage(WAIT);
        StompMessage m3 = received.awaitMessage(WAIT);
        m1.ack();
        m3.ack();
        first.disconnectAsync().get(10, TimeUnit.SECONDS);

        StompClient second = target.connected();
        StompRecorder again = StompRecorder.create();
        second.subscribe(destination, again, Map.of("ack", "client-individual"));
        StompMessage redelivered = again.awaitMessage(WAIT);
        assertThat(redelivered.body()).isEqualTo("m2");
        assertThat(redelivered.header("redelivered")).isEqualTo("true");
        redelivered.ack();
        again.assertNoMoreMessages(QUIET); // nothing but m2 is redelivered
    }

    @MatrixTest("client: an ACK acknowledges every earlier message too")
    void clientModeAcknowledgesCumulatively(BrokerTarget target) throws Exception {
        String destination = target.queue("ack-client");
        produce(target, destination, "m1", "m2", "m3");
        StompClient first = target.connected();
        StompRecorder received = StompRecorder.create();
        first.subscribe(destination, received, Map.of("ack", "client"));
        received.awaitMessage(WAIT);
        StompMessage m2 = received.awaitMessage(WAIT);
        received.awaitMessage(WAIT);
        m2.ack(); // acknowledges m1 as well
        first.disconnectAsync().get(10, TimeUnit.SECONDS);

        StompClient second = target.connected();
        StompRecorder again = StompRecorder.create();
        second.subscribe(destination, again, Map.of("ack", "client"));
        assertThat(again.awaitBodies(1, WAIT)).containsExactly("m3");
        again.assertNoMoreMessages(QUIET); // m1 and m2 were acknowledged
    }

    /**
     * RabbitMQ requeues a NACKed message (NACK's {@code requeue} defaults to true) and redelivers it at once.
     * Artemis discards it (its StompFrameHandlerV11.onNack calls onAck); ActiveMQ Classic treats it as a
     * poison message (to the dead-letter queue when persistent, else dropped).
     */
    @MatrixTest("NACK returns the message to the queue for redelivery")
    void nackRequeues(BrokerTarget target) throws Exception {
        String destination = target.queue("nack");
        produce(target, destination, "m1", "m2");
        StompClient first = target.connected();
        StompRecorder received = StompRecorder.create();
        first.subscribe(destination, received, Map.of("ack", "client-individual"));
        StompMessage m1 = received.awaitMessage(WAIT);
        assertThat(m1.body()).isEqualTo("m1");
        StompMessage m2 = received.awaitMessage(WAIT);
        assertThat(m2.body()).isEqualTo("m2");
        m1.nack();
        if (target.is(Broker.RABBITMQ)) {
            StompMessage again = received.awaitMessage(WAIT);
            assertThat(again.body()).isEqualTo("m1");
            assertThat(again.header("redelivered")).isEqualTo("true");
            again.ack();
            m2.ack();
            return;
        }
        received.assertNoMoreMessages(QUIET); // a NACKed message is not redelivered on this broker
        first.disconnectAsync().get(10, TimeUnit.SECONDS);
        // The unacknowledged m2 comes back to the next subscriber; m1 would too, had the NACK not removed it.
        StompClient second = target.connected();
        StompRecorder next = StompRecorder.create();
        second.subscribe(destination, next, Map.of("ack", "client-individual"));
        assertThat(next.awaitMessage(WAIT).body()).isEqualTo("m2");
        next.assertNoMoreMessages(QUIET); // the NACKed m1 is gone
        target.unsupported(target.is(Broker.ARTEMIS)
                ? "NACK discards the message (Artemis handles NACK like ACK)"
                : "NACK discards the message (a poison ack: to the dead-letter queue if persistent)");
    }

    @MatrixTest("ack() on an ack:auto subscription fails clearly")
    void ackOnAnAutoSubscriptionFailsClearly(BrokerTarget target) throws Exception {
        String destination = target.queue("ack-auto");
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received);
        client.send(destination, Map.of(), "auto");
        StompMessage message = received.awaitMessage(WAIT);
        assertThatThrownBy(message::ack).isInstanceOf(StompException.class).hasMessageContaining("ack:auto");
    }
}
