package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.reactor.ReactiveStomp;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A {@code watch} Flux outlives a broker restart mid-stream: the client reconnects and subscribes again,
 * the Flux neither completes nor fails, and every persistent message is consumed (at least once: those
 * delivered and not yet acknowledged at the restart come again). And an {@code ack: auto} Flux without
 * demand makes the connection stop reading, for longer than the 5 s after which stalled callbacks would
 * make it read on: messages waiting for demand are no stalled callbacks.
 */
class ReactiveRestartIT {

    private static final int MESSAGES = 200;

    @RegisterExtension
    static final ArtemisExtension broker = new ArtemisExtension();

    static {
        broker.persistent(true);
    }

    @AfterAll
    static void deleteJournal() {
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void theFluxGoesOnAcrossABrokerRestart(Wire wire) throws Exception {
        broker.start(); // a failed earlier run may have left it stopped
        String queue = wire.queue("rx-restart");
        try (StompClient consumer = wire.client(broker); StompClient producer = wire.client(broker)) {
            consumer.reconnectDelay(100).reconnectMaxDelay(1_000);
            producer.connectAsync(FaultKit.login(broker)).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < MESSAGES; i++) {
                producer.sendWithReceipt(queue, Map.of("index", Integer.toString(i), "persistent", "true"), "m" + i)
                        .get(10, TimeUnit.SECONDS);
            }
            producer.disconnectAsync().get(10, TimeUnit.SECONDS);

            ReactiveStomp rx = ReactiveStomp.from(consumer);
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            Disposable watchingStates = rx.states().subscribe(states::add);
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            rx.connect(FaultKit.login(broker)).block(Duration.ofSeconds(10));

            StepVerifier.create(rx.watch(queue, Map.of("ack", "client-individual"))
                            .concatMap(ReactiveStomp.ackAfter(message -> Mono.delay(Duration.ofMillis(2))), 8)
                            .map(ReactiveIT::index))
                    .thenConsumeWhile(index -> seen.add(index) && seen.size() < 50)
                    .then(() -> {
                        broker.stop();
                        broker.start();
                    })
                    .thenConsumeWhile(index -> {
                        seen.add(index);
                        return seen.size() < MESSAGES;
                    })
                    .thenCancel()
                    .verify(Duration.ofSeconds(60));
            assertThat(seen).containsExactlyInAnyOrderElementsOf(IntStream.range(0, MESSAGES).boxed().toList());
            waitAtMost(Duration.ofSeconds(5)).until(() -> states.lastIndexOf(ConnectionState.CONNECTED)
                    > states.indexOf(ConnectionState.RECONNECTING) && states.contains(ConnectionState.RECONNECTING));
            watchingStates.dispose();
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void anAutoAckFluxWithoutDemandPausesReadingPastTheStallTime(Wire wire) throws Exception {
        broker.start();
        String queue = wire.queue("rx-auto-held");
        try (StompClient consumer = wire.client(broker); StompClient producer = wire.client(broker)) {
            AtomicInteger read = new AtomicInteger();
            AtomicInteger readWhileHeld = new AtomicInteger();
            consumer.debug(line -> {
                if (line.startsWith("<<< MESSAGE")) {
                    read.incrementAndGet();
                }
            });
            ReactiveStomp rx = ReactiveStomp.from(consumer);
            rx.connect(FaultKit.login(broker)).block(Duration.ofSeconds(10));
            producer.connectAsync(FaultKit.login(broker)).get(10, TimeUnit.SECONDS);
            int count = InboundBackPressureIT.COUNT;

            StepVerifier.create(rx.watch(queue).map(ReactiveIT::index), 1)
                    .then(() -> {
                        for (int i = 0; i < count; i++) {
                            producer.send(queue, Map.of("index", Integer.toString(i)), InboundBackPressureIT.textBody(i));
                        }
                    })
                    .expectNext(0)
                    .then(() -> {
                        waitAtMost(Duration.ofSeconds(10)).until(() -> read.get() > 64);
                        // 8 MiB of 64 KiB messages, plus what the current read holds; and past the 5 s stall time.
                        org.awaitility.Awaitility.await().during(Duration.ofMillis(6_500)).atMost(Duration.ofSeconds(9))
                                .pollInterval(Duration.ofMillis(50)).until(() -> read.get() <= 160);
                        readWhileHeld.set(read.get());
                    })
                    .thenRequest(Long.MAX_VALUE)
                    .expectNextSequence(IntStream.range(1, count).boxed().toList())
                    .thenCancel()
                    .verify(Duration.ofSeconds(60));
            System.out.printf("ReactiveRestartIT %s: %d of %d ack:auto messages (64 KiB) read while demand was 1%n",
                    wire, readWhileHeld.get(), count);
        }
    }

}
