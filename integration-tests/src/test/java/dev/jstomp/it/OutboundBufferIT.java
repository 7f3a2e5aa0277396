package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.test.EmbeddedStompBroker;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.it.FaultInjectingProxy.Direction;
import dev.jstomp.it.FaultKit.Wire;

/**
 * The bounded outbound buffer against a broker that stops taking bytes (a proxy stalls the client's side):
 * {@code send} waits for room for the send timeout, then throws naming the limit; nothing queued is lost,
 * and once bytes flow again everything arrives in order. A receipt's timeout counts from its write, so a
 * RECEIPT behind a long queue is not failed while its frame waits.
 */
class OutboundBufferIT {

    private static final int KIB = 1024;
    private static final long SEND_TIMEOUT_MILLIS = 500;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aFullBufferMakesSendWaitThenTimeOutAndWhatWasQueuedArrivesInOrder(Wire wire) throws Exception {
        String queue = wire.queue("outbound-full");
        List<String> bodies = new CopyOnWriteArrayList<>();
        String padding = "x".repeat(KIB - 16);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient consumer = wire.client(broker);
                StompClient producer = wire.client(proxy)) {
            consumer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            consumer.subscribe(queue, m -> bodies.add(m.body()));
            // No heart-beats: the stalled direction would otherwise end the connection during the test.
            producer.heartbeat().outgoing(0).incoming(0);
            producer.outboundBufferLimit(KIB * KIB).sendTimeout(Duration.ofMillis(SEND_TIMEOUT_MILLIS));
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);

            proxy.stall(Direction.UPSTREAM);
            int sent = 0;
            StompTimeoutException timeout = null;
            long waitedMillis = 0;
            while (timeout == null && sent < 200_000) {
                long t0 = System.nanoTime();
                try {
                    producer.send(queue, Map.of(), String.format("%08d", sent) + padding);
                    sent++;
                } catch (StompTimeoutException e) {
                    timeout = e;
                    waitedMillis = (System.nanoTime() - t0) / 1_000_000;
                }
            }
            System.out.printf("OutboundBufferIT %s: %d KiB-sends queued before the send timed out after %d ms%n",
                    wire, sent, waitedMillis);
            assertThat(timeout).as("send timed out on the full buffer").isNotNull();
            assertThat(timeout.getMessage()).contains("outbound buffer is full").contains("outboundBufferLimit")
                    .contains("limit " + KIB * KIB + " bytes").contains("within " + SEND_TIMEOUT_MILLIS + " ms")
                    .contains("sendTimeout").contains(String.valueOf(proxy.port()));
            assertThat(waitedMillis).as("waited the send timeout first").isGreaterThanOrEqualTo(SEND_TIMEOUT_MILLIS - 50);
            assertThat(producer.connected()).isTrue();

            proxy.unstall(Direction.UPSTREAM);
            producer.send(queue, Map.of(), "after");
            int expected = sent + 1;
            waitAtMost(Duration.ofSeconds(30)).until(() -> bodies.size() >= expected);
            assertThat(bodies).hasSize(expected);
            for (int i = 0; i < sent; i++) {
                assertThat(bodies.get(i)).startsWith(String.format("%08d", i));
            }
            assertThat(bodies.get(sent)).isEqualTo("after");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aReceiptBehindAQueueIsTimedFromItsWriteNotFromWhenItWasQueued(Wire wire) throws Exception {
        String queue = wire.queue("outbound-receipt");
        List<String> bodies = new CopyOnWriteArrayList<>();
        String body = "y".repeat(KIB);
        int ahead = 6 * KIB; // 6 MiB: more than the socket buffers of client and proxy take (about 3.5 MiB)
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient consumer = wire.client(broker);
                StompClient producer = wire.client(proxy)) {
            consumer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            consumer.subscribe(queue, m -> bodies.add(m.body()));
            producer.heartbeat().outgoing(0).incoming(0);
            producer.receiptTimeout(Duration.ofSeconds(10)).outboundBufferLimit(64L * KIB * KIB);
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);

            proxy.stall(Direction.UPSTREAM);
            for (int i = 0; i < ahead; i++) {
                producer.send(queue, Map.of(), body);
            }
            CompletableFuture<StompFrame> receipt = producer.sendWithReceipt(queue, Map.of(), "last");
            // Longer than the receipt timeout with the frame still queued: counted from queueing it would have failed.
            // The timeout itself leaves room for what is ahead of the frame in the socket buffers once it is written
            // (about 3.5 MiB, which a loaded machine's broker may take seconds to process).
            waitAtMost(Duration.ofSeconds(13)).during(Duration.ofSeconds(11)).until(() -> !receipt.isDone());

            proxy.unstall(Direction.UPSTREAM);
            assertThat(receipt.get(30, TimeUnit.SECONDS).command()).isEqualTo("RECEIPT");
            waitAtMost(Duration.ofSeconds(30)).until(() -> bodies.size() == ahead + 1);
            assertThat(bodies.get(ahead)).isEqualTo("last");
        }
    }
}
