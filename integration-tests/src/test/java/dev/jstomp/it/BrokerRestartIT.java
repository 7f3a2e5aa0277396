package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.Subscription;
import dev.jstomp.broker.EmbeddedArtemis;
import dev.jstomp.it.FaultKit.Recording;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * The at-least-once recipe survives a broker killed and restarted on the same port mid-stream: a producer
 * sends numbered persistent messages with receipts (resending what was not receipted), a consumer acks
 * each one (client-individual) after recording it, and every message the producer saw receipted is
 * consumed at least once. The broker keeps a journal here, so "receipted" means "stored": a message
 * lost is the client's fault, not the broker's.
 */
class BrokerRestartIT {

    private static final int MESSAGES = 300;
    /** The producer stays at most this far ahead of the consumer, so the restart hits both mid-stream. */
    private static final int WINDOW = 40;

    /** Persistent: the journal outlives the restart; the extension deletes it after the class. */
    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create(new EmbeddedArtemis().persistent(true));

    @ParameterizedTest
    @EnumSource(Wire.class)
    void everyReceiptedMessageIsConsumedAfterABrokerRestart(Wire wire) throws Exception {
        // Artemis's journal cannot start on Java 25 with Netty 4.2.18 (CleanerJava25: "Cannot clean arbitrary
        // ByteBuffer instances" from NIOSequentialFileFactory); the Java 25 leg of .ci/test.sh says so here.
        Assumptions.assumeTrue(Runtime.version().feature() < 25, "the persistent embedded Artemis does not start on"
                + " Java 25 (Netty 4.2.18 CleanerJava25 cannot free Artemis's journal buffers); runs on Java 17");
        broker.start(); // a failed earlier run may have left it stopped
        String queue = wire.queue("restart");
        Set<Integer> receipted = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> consumed = new ConcurrentHashMap<>();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger failedAcks = new AtomicInteger();
        List<Throwable> receiptFailures = new CopyOnWriteArrayList<>();
        List<Throwable> refusedSends = new CopyOnWriteArrayList<>();
        Recording consumerEvents = new Recording();
        Recording producerEvents = new Recording();
        long t0 = System.nanoTime();

        try (StompClient consumer = consumerEvents.attach(wire.client(broker));
                StompClient producer = producerEvents.attach(wire.client(broker))) {
            for (StompClient client : List.of(consumer, producer)) {
                client.reconnectDelay(100).reconnectMaxDelay(1_000);
            }
            consumer.connect(broker.connectHeaders(), frame -> { }, consumerEvents.onError());
            producer.connect(broker.connectHeaders(), frame -> { }, producerEvents.onError());
            waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.connected() && producer.connected());
            Subscription subscription = consumer.subscribe(queue, message -> {
                deliveries.incrementAndGet();
                consumed.merge(Integer.parseInt(message.header("n")), 1, Integer::sum);
                try {
                    message.ack();
                } catch (StompException e) {
                    failedAcks.incrementAndGet(); // delivered on a connection that is gone: redelivered
                }
            }, Map.of("ack", "client-individual", "id", "restart-consumer"));

            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int n = 1; n <= MESSAGES; n++) {
                    int number = n;
                    waitAtMost(Duration.ofSeconds(60)).until(() -> consumed.size() >= number - WINDOW);
                    while (!receipted.contains(number)) {
                        try {
                            StompFrame receipt = producer.sendWithReceipt(queue,
                                    Map.of("persistent", "true", "n", String.valueOf(number)), "message " + number)
                                    .get(30, TimeUnit.SECONDS);
                            assertThat(receipt.command()).isEqualTo("RECEIPT");
                            receipted.add(number);
                        } catch (ExecutionException e) {
                            receiptFailures.add(e.getCause()); // not receipted: the recipe says send it again
                        } catch (StompConnectionException e) {
                            // Thrown at the instant the connection is lost (see HeldSendIT): not sent, send again.
                            refusedSends.add(e);
                        } catch (Exception e) {
                            throw new AssertionError("send " + number + " failed", e);
                        }
                    }
                }
            });

            waitAtMost(Duration.ofSeconds(30)).until(() -> receipted.size() >= MESSAGES / 3);
            int receiptedAtStop = receipted.size();
            long stoppedAt = System.nanoTime();
            broker.stop();
            waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.state() == ConnectionState.RECONNECTING
                    && producer.state() == ConnectionState.RECONNECTING);
            broker.start();
            long restartedAt = System.nanoTime();

            producing.get(90, TimeUnit.SECONDS);
            waitAtMost(Duration.ofSeconds(30)).until(() -> consumed.keySet().containsAll(receipted));

            Set<Integer> lost = new TreeSet<>(receipted);
            lost.removeAll(consumed.keySet());
            long duplicates = consumed.values().stream().filter(count -> count > 1).count();
            System.out.printf("BrokerRestartIT %s: %d messages receipted (%d before the stop), %d consumed, lost %d,"
                    + " %d duplicates, %d deliveries, %d acks refused after the loss, %d receipts failed and %d sends"
                    + " refused, all resent; broker down %d ms; total %d ms%n", wire, receipted.size(), receiptedAtStop,
                    consumed.size(), lost.size(), duplicates, deliveries.get(), failedAcks.get(), receiptFailures.size(),
                    refusedSends.size(),
                    (restartedAt - stoppedAt) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);

            assertThat(receiptedAtStop).as("the restart came mid-stream").isLessThan(MESSAGES);
            assertThat(receipted).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(1, MESSAGES).boxed().collect(Collectors.toSet()));
            assertThat(lost).as("receipted but never consumed").isEmpty();
            assertThat(subscription.id()).isEqualTo("restart-consumer");
            assertThat(consumerEvents.stateList()).containsSubsequence(ConnectionState.CONNECTED,
                    ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
            assertThat(producerEvents.stateList()).containsSubsequence(ConnectionState.CONNECTED,
                    ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
            assertThat(receiptFailures).allSatisfy(failure -> assertThat(failure).isInstanceOf(StompException.class));
        }
    }
}
