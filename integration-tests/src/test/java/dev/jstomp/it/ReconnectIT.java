package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompFrame;
import dev.jstomp.Subscription;
import dev.jstomp.Transaction;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * With reconnectDelay set, a broker restart is survived: the same Subscription object keeps delivering,
 * and sends made while reconnecting are held and sent, in order, once connected again.
 */
class ReconnectIT {

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void subscriptionsResumeAfterABrokerRestart(Transport transport) throws Exception {
        String destination = transport.queue("reconnect");
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        List<StompError> errors = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        broker.start(); // idempotent: a failed earlier run may have left it stopped
        try (StompClient client = transport.client(broker)) {
            client.reconnectDelay(100).onStateChange(states::add);
            client.connect(broker.login(), broker.passcode(), frame -> { }, errors::add);
            await().atMost(Duration.ofSeconds(10)).until(client::connected);
            Subscription subscription = client.subscribe(destination, m -> bodies.add(m.body()), Map.of("id", "kept"));
            Transaction open = client.begin();
            client.send(destination, Map.of(), "before");
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);

            broker.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
            assertThat(client.reconnectAttempt()).isPositive();
            client.send(destination, Map.of(), "held-1");
            CompletableFuture<StompFrame> heldReceipt = client.sendWithReceipt(destination, Map.of(), "held-2");
            broker.start();
            await().atMost(Duration.ofSeconds(30)).until(client::connected);
            assertThat(heldReceipt.get(10, TimeUnit.SECONDS).command()).isEqualTo("RECEIPT");

            client.send(destination, Map.of(), "after");
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 4);
            assertThat(bodies).as("held sends go first, in order").containsExactly("before", "held-1", "held-2", "after");
            assertThat(subscription.id()).isEqualTo("kept");
            assertThat(errors).as("the loss was reported").isNotEmpty();
            assertThatThrownBy(open::commit).isInstanceOf(StompConnectionException.class)
                    .hasMessageContaining("aborted");
            assertThat(states).startsWith(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                    ConnectionState.RECONNECTING).endsWith(ConnectionState.CONNECTED);
            for (int i = 1; i < states.size(); i++) {
                assertThat(states.get(i)).as("never twice in a row").isNotEqualTo(states.get(i - 1));
            }
        }
    }
}
