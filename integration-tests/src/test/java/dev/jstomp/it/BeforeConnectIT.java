package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * beforeConnect against real brokers: the passcode of every CONNECT is the supplier's of that moment, so an
 * expired token refused by the broker is followed by a fresh one that connects, and a broker restart asks
 * for another; a supplier that throws fails that attempt only.
 */
class BeforeConnectIT {

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anExpiredTokenIsRefusedThenAFreshOneConnectsAndEachReconnectAsksAgain(Transport transport) throws Exception {
        broker.start();
        AtomicInteger calls = new AtomicInteger();
        List<StompError> errors = new CopyOnWriteArrayList<>();
        try (StompClient client = transport.client(broker)) {
            // The first "token" is expired (wrong), every later one is valid.
            client.reconnectDelay(100).reconnectMaxDelay(200).beforeConnect(() -> Map.of("passcode",
                    calls.incrementAndGet() == 1 ? "expired-token" : broker.passcode()));
            client.connect(Map.of("login", broker.login()), frame -> { }, errors::add);

            await().atMost(Duration.ofSeconds(10)).until(client::connected);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).cause()).isInstanceOf(StompErrorFrameException.class);
            assertThat(errors.get(0).message()).doesNotContain("expired-token").doesNotContain(broker.passcode());

            broker.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
            broker.start();
            await().atMost(Duration.ofSeconds(30)).until(client::connected);
            assertThat(calls.get()).as("asked again for the reconnect's CONNECT").isGreaterThan(2);
        }
    }

    @Test
    void aThrowingSupplierFailsOneAttemptOnRabbitMqAndTheNextConnects() {
        Endpoints.require("RabbitMQ STOMP", Endpoints.RABBITMQ_STOMP);
        AtomicInteger calls = new AtomicInteger();
        List<StompError> errors = new CopyOnWriteArrayList<>();
        try (StompClient client = Stomp.overTCP(Endpoints.HOST, Endpoints.RABBITMQ_STOMP)) {
            client.reconnectDelay(100).beforeConnect(() -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("token endpoint down");
                }
                return Map.of("passcode", Endpoints.RABBITMQ_PASSWORD);
            });
            client.connect(Map.of("login", Endpoints.RABBITMQ_USER, "host", Endpoints.RABBITMQ_VHOST), frame -> { },
                    errors::add);

            await().atMost(Duration.ofSeconds(10)).until(client::connected);
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).message()).contains("beforeConnect");
            assertThat(errors.get(0).cause()).hasRootCauseMessage("token endpoint down");
        }
    }
}
