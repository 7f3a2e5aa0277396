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
import dev.jstomp.StompMessage;
import dev.jstomp.Transaction;
import dev.jstomp.test.StompRecorder;

/**
 * BEGIN, COMMIT and ABORT. A marker sent outside the transaction after its frames proves, by arriving,
 * that the broker has processed them: what has not arrived before the marker was held back.
 */
@DisplayName("Transactions")
class TransactionIT {

    @MatrixTest("SEND in a transaction: COMMIT delivers, ABORT discards")
    void commitDeliversAndAbortDiscards(BrokerTarget target) throws Exception {
        String destination = target.queue("tx");
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received);

        Transaction committed = client.begin();
        client.send(destination, Map.of("transaction", committed.id()), "tx-1");
        client.send(destination, Map.of("transaction", committed.id()), "tx-2");
        client.send(destination, Map.of(), "marker-1");
        assertThat(received.awaitBodies(1, WAIT)).containsExactly("marker-1");
        committed.commit();
        assertThat(received.awaitBodies(2, WAIT)).containsExactly("tx-1", "tx-2");

        Transaction aborted = client.begin("my-tx");
        assertThat(aborted.id()).isEqualTo("my-tx");
        client.send(destination, Map.of("transaction", aborted.id()), "never");
        aborted.abort();
        client.send(destination, Map.of(), "marker-2");
        assertThat(received.awaitBodies(1, WAIT)).containsExactly("marker-2");
        received.assertNoMoreMessages(QUIET); // the aborted message never arrives

        assertThatThrownBy(aborted::commit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already ended");
    }

    /**
     * An ACK inside a transaction takes effect on COMMIT, and ABORT undoes it (the message comes back once its
     * consumer is gone). Artemis ignores the transaction of an ACK: the ACK applies at once.
     */
    @MatrixTest("ACK in a transaction: ABORT undoes it, COMMIT keeps it")
    void ackInATransaction(BrokerTarget target) throws Exception {
        String destination = target.queue("tx-ack");
        AcknowledgementIT.produce(target, destination, "aborted-ack", "committed-ack");
        StompClient first = target.connected();
        StompRecorder received = StompRecorder.create();
        first.subscribe(destination, received, Map.of("ack", "client-individual"));
        StompMessage abortedAck = received.awaitMessage(WAIT);
        StompMessage committedAck = received.awaitMessage(WAIT);
        Transaction aborted = first.begin();
        abortedAck.ack(Map.of("transaction", aborted.id()));
        aborted.abort();
        Transaction committed = first.begin();
        committedAck.ack(Map.of("transaction", committed.id()));
        committed.commit();
        first.disconnectAsync().get(10, TimeUnit.SECONDS);

        StompClient second = target.connected();
        StompRecorder again = StompRecorder.create();
        second.subscribe(destination, again, Map.of("ack", "client-individual"));
        if (target.is(Broker.ARTEMIS)) {
            again.assertNoMoreMessages(QUIET); // Artemis applied the ACK despite the ABORT
            target.unsupported("ACK inside a transaction applies at once; ABORT does not undo it");
            return;
        }
        StompMessage back = again.awaitMessage(WAIT);
        assertThat(back.body()).isEqualTo("aborted-ack");
        back.ack();
        again.assertNoMoreMessages(QUIET); // the committed ACK holds
    }

    @MatrixTest("generated transaction ids are unique; an open id cannot be reused")
    void generatedTransactionIdsAreUnique(BrokerTarget target) throws Exception {
        StompClient client = target.connected();
        Transaction first = client.begin();
        Transaction second = client.begin();
        assertThat(first.id()).isNotEqualTo(second.id());
        assertThatThrownBy(() -> client.begin(first.id())).isInstanceOf(IllegalArgumentException.class);
        first.abort();
        second.abort();
    }
}
