package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.test.EmbeddedStompBroker;
import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.SubscribeHeaders;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.reactor.ReactiveStomp;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * How a {@code watch} Flux ends, on the embedded Artemis: it completes when the client is closed, fails
 * when the broker refuses the SUBSCRIBE and when the connection ends for good (reconnect off), and waits
 * for a client that is not connected yet. {@code states()} follows the client and completes with it.
 */
class ReactiveLifecycleIT {

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void closingTheClientCompletesTheFluxAndTheStates(Wire wire) throws Exception {
        broker.start();
        StompClient client = wire.client(broker);
        ReactiveStomp rx = ReactiveStomp.from(client);
        String queue = wire.queue("rx-close");
        StepVerifier states = StepVerifier.create(rx.states())
                .expectNext(ConnectionState.DISCONNECTED, ConnectionState.CONNECTING, ConnectionState.CONNECTED)
                .thenConsumeWhile(state -> true)
                .expectComplete()
                .verifyLater();
        // Subscribed before connecting: SUBSCRIBE goes out once CONNECTED.
        StepVerifier watch = StepVerifier.create(rx.watch(queue).map(ReactiveIT::index))
                .expectNext(0)
                .then(() -> Schedulers.boundedElastic().schedule(client::close)) // not on the client's own thread
                .expectComplete()
                .verifyLater();
        rx.connect(broker.connectHeaders()).block(Duration.ofSeconds(10));
        try (StompClient producer = wire.client(broker)) {
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            // A queue keeps it until the SUBSCRIBE, whenever that goes out.
            producer.sendWithReceipt(queue, Map.of("index", "0"), "only").get(10, TimeUnit.SECONDS);
        }
        watch.verify(Duration.ofSeconds(10));
        states.verify(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aRefusedSubscribeFailsTheFlux(Wire wire) throws Exception {
        broker.start();
        // With reconnect on the connection's end is no failure of the Flux: the refusal is (the ERROR that
        // came while SUBSCRIBE's receipt was awaited). With it off, the end of the connection fails it first.
        try (StompClient client = wire.client(broker).reconnectDelay(100)) {
            ReactiveStomp rx = ReactiveStomp.from(client);
            rx.connect(broker.connectHeaders()).block(Duration.ofSeconds(10));
            StepVerifier.create(rx.watch(wire.queue("rx-refused"), SubscribeHeaders.selector("this is ((( no selector")))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(StompErrorFrameException.class)
                            .hasMessageContaining("refused SUBSCRIBE to /queue/rx-refused")
                            .hasMessageContaining("Invalid selector"))
                    .verify(Duration.ofSeconds(10));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aConnectionLostForGoodFailsTheFlux(Wire wire) throws Exception {
        broker.start();
        try (StompClient client = wire.client(broker)) { // reconnect off: a lost connection is the end
            ReactiveStomp rx = ReactiveStomp.from(client);
            rx.connect(broker.connectHeaders()).block(Duration.ofSeconds(10));
            StepVerifier.create(rx.watch(wire.queue("rx-lost")))
                    .then(() -> FaultKit.waitAtMost(Duration.ofSeconds(5)).until(client::connected))
                    .then(broker::stop)
                    .expectError(StompConnectionException.class)
                    .verify(Duration.ofSeconds(20));
        } finally {
            broker.start();
        }
    }
}
