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

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.test.EmbeddedStompBroker;
import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.reactor.ReactiveStomp;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A {@code watch} Flux outlives a broker restart mid-stream: the client reconnects and subscribes again,
 * the Flux neither completes nor fails, and what is sent after the restart reaches it. (The broker is not
 * persistent here: Artemis's journal does not start on Java 25 with Netty 4.2.18, whose CleanerJava25 cannot
 * free the journal's buffers, and this test runs in the Java 25 leg too.) And an {@code ack: auto} Flux without
 * demand makes the connection stop reading, for longer than the 5 s after which stalled callbacks would
 * make it read on: messages waiting for demand are no stalled callbacks.
 */
class ReactiveRestartIT {

    private static final int MESSAGES = 200;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void theFluxGoesOnAcrossABrokerRestart(Wire wire) throws Exception {
        broker.start(); // a failed earlier run may have left it stopped
        String queue = wire.queue("rx-restart");
        try (StompClient consumer = wire.client(broker); StompClient producer = wire.client(broker)) {
            consumer.reconnectDelay(100).reconnectMaxDelay(1_000);
            producer.reconnectDelay(100).reconnectMaxDelay(1_000);
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            sendNumbered(producer, queue, 0, MESSAGES);

            ReactiveStomp rx = ReactiveStomp.from(consumer);
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            Disposable watchingStates = rx.states().subscribe(states::add);
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            rx.connect(broker.connectHeaders()).block(Duration.ofSeconds(10));

            // Restarted after 50 of 200, mid-stream; then 200 more are sent (those before, not persistent,
            // went with the broker, but for the ones consumed) and the same Flux delivers them.
            StepVerifier.create(rx.watch(queue, Map.of("ack", "client-individual"))
                            .concatMap(ReactiveStomp.ackAfter(message -> Mono.delay(Duration.ofMillis(2))), 8)
                            .map(ReactiveIT::index))
                    .thenConsumeWhile(index -> seen.add(index) && seen.size() < 50)
                    .then(() -> {
                        broker.stop();
                        broker.start();
                        waitAtMost(Duration.ofSeconds(20)).until(() -> consumer.connected() && producer.connected());
                        sendNumbered(producer, queue, MESSAGES, 2 * MESSAGES);
                    })
                    .thenConsumeWhile(index -> index < MESSAGES || seen.add(index) && seen.size() < 50 + MESSAGES)
                    .thenCancel()
                    .verify(Duration.ofSeconds(60));
            assertThat(seen).containsAll(IntStream.range(MESSAGES, 2 * MESSAGES).boxed().toList());
            waitAtMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.RECONNECTING)
                    && states.lastIndexOf(ConnectionState.CONNECTED) > states.indexOf(ConnectionState.RECONNECTING));
            watchingStates.dispose();
        }
    }

    private static void sendNumbered(StompClient producer, String queue, int from, int to) {
        try {
            for (int i = from; i < to; i++) {
                producer.send(queue, Map.of("index", Integer.toString(i)), "m" + i);
            }
            producer.sendWithReceipt(queue, Map.of("index", "-1"), "end").get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
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
            rx.connect(broker.connectHeaders()).block(Duration.ofSeconds(10));
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
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
