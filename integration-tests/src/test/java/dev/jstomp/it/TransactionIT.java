package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;

import dev.jstomp.Broker;
import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.Transaction;

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
        Inbox received = new Inbox();
        client.subscribe(destination, received);

        Transaction committed = client.begin();
        client.send(destination, Map.of("transaction", committed.id()), "tx-1");
        client.send(destination, Map.of("transaction", committed.id()), "tx-2");
        client.send(destination, Map.of(), "marker-1");
        assertThat(received.bodies(1)).containsExactly("marker-1");
        committed.commit();
        assertThat(received.bodies(2)).containsExactly("tx-1", "tx-2");

        Transaction aborted = client.begin("my-tx");
        assertThat(aborted.id()).isEqualTo("my-tx");
        client.send(destination, Map.of("transaction", aborted.id()), "never");
        aborted.abort();
        client.send(destination, Map.of(), "marker-2");
        assertThat(received.bodies(1)).containsExactly("marker-2");
        received.assertQuiet("the aborted message never arrives");

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
        Inbox received = new Inbox();
        first.subscribe(destination, received, Map.of("ack", "client-individual"));
        StompMessage abortedAck = received.next();
        StompMessage committedAck = received.next();
        Transaction aborted = first.begin();
        abortedAck.ack(Map.of("transaction", aborted.id()));
        aborted.abort();
        Transaction committed = first.begin();
        committedAck.ack(Map.of("transaction", committed.id()));
        committed.commit();
        first.disconnectAsync().get(10, TimeUnit.SECONDS);

        StompClient second = target.connected();
        Inbox again = new Inbox();
        second.subscribe(destination, again, Map.of("ack", "client-individual"));
        if (target.is(Broker.ARTEMIS)) {
            again.assertQuiet("Artemis applied the ACK despite the ABORT");
            target.unsupported("ACK inside a transaction applies at once; ABORT does not undo it");
            return;
        }
        StompMessage back = again.next();
        assertThat(back.body()).isEqualTo("aborted-ack");
        back.ack();
        again.assertQuiet("the committed ACK holds");
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
