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
import dev.jstomp.StompMessage;
import dev.jstomp.Transaction;

/**
 * BEGIN, COMMIT and ABORT. A marker sent outside the transaction after its frames proves, by arriving,
 * that the broker has processed them: what has not arrived before the marker was held back.
 */
class TransactionIT {

    @RegisterExtension
    static final ArtemisExtension broker = new ArtemisExtension();

    private static List<String> receive(BlockingQueue<StompMessage> queue, int count) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StompMessage message = queue.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("message %d of %d within 20 s", i + 1, count).isNotNull();
            bodies.add(message.body());
        }
        return bodies;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void commitDeliversAndAbortDiscards(Transport transport) throws Exception {
        String destination = transport.queue("tx");
        try (StompClient client = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            client.subscribe(destination, received::add);

            Transaction committed = client.begin();
            client.send(destination, Map.of("transaction", committed.id()), "tx-1");
            client.send(destination, Map.of("transaction", committed.id()), "tx-2");
            client.send(destination, Map.of(), "marker-1");
            assertThat(receive(received, 1)).containsExactly("marker-1");
            committed.commit();
            assertThat(receive(received, 2)).containsExactly("tx-1", "tx-2");

            Transaction aborted = client.begin("my-tx");
            assertThat(aborted.id()).isEqualTo("my-tx");
            client.send(destination, Map.of("transaction", aborted.id()), "never");
            aborted.abort();
            client.send(destination, Map.of(), "marker-2");
            assertThat(receive(received, 1)).containsExactly("marker-2");
            assertThat(received).isEmpty();

            assertThatThrownBy(aborted::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already ended");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void generatedTransactionIdsAreUnique(Transport transport) throws Exception {
        try (StompClient client = transport.connected(broker)) {
            Transaction first = client.begin();
            Transaction second = client.begin();
            assertThat(first.id()).isNotEqualTo(second.id());
            assertThatThrownBy(() -> client.begin(first.id())).isInstanceOf(IllegalArgumentException.class);
            first.abort();
            second.abort();
        }
    }
}
