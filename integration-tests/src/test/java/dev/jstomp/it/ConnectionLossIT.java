package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.Subscription;

/**
 * A lost connection on every broker: the network is cut by a proxy (only the embedded broker can be
 * restarted; ReconnectIT does that), and with reconnectDelay set the client comes back and subscribes again.
 */
@DisplayName("Reconnect")
class ConnectionLossIT {

    @MatrixTest("connection cut: reconnects, subscribes again, the same Subscription keeps delivering")
    void reconnectsAfterTheConnectionDrops(BrokerTarget target) throws Exception {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        List<StompError> errors = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(target.port())) {
            StompClient client = target.clientVia(proxy.port());
            client.reconnectDelay(100).onStateChange(states::add);
            client.connect(target.connectHeaders(), frame -> { }, errors::add);
            await().atMost(Timeouts.WAIT).until(client::connected);
            String destination = target.queue("cut");
            Subscription subscription = Receipts.subscribe(client, destination, m -> bodies.add(m.body()),
                    Map.of("id", "kept"));
            client.send(destination, Map.of(), "before");
            await().atMost(Timeouts.WAIT).until(() -> bodies.size() == 1);

            proxy.cutAll();
            await().atMost(Timeouts.WAIT).until(() -> states.contains(ConnectionState.RECONNECTING));
            await().atMost(Timeouts.WAIT).until(client::connected);
            // Sent after the new SUBSCRIBE on the same connection, so the broker has the subscription by then.
            client.send(destination, Map.of(), "after");
            await().atMost(Timeouts.WAIT).until(() -> bodies.size() == 2);
            assertThat(bodies).containsExactly("before", "after");
            assertThat(subscription.id()).isEqualTo("kept");
            assertThat(errors).as("the loss was reported").isNotEmpty();
            assertThat(states).startsWith(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                    ConnectionState.RECONNECTING).endsWith(ConnectionState.CONNECTED);
        }
    }
}
