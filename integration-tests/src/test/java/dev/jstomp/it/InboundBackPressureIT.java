package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * With {@code ack: auto} a slow callback must not let a connection read everything the broker sends into
 * the heap: past 8 MiB of messages waiting for their callbacks jstomp stops reading (over TCP at the
 * socket; over WebSocket by holding Tyrus's reader). Once the callback catches up, reading resumes and
 * every message arrives, intact and in order. Heart-beats do not mistake the pause for a dead broker, and a
 * callback waiting for a RECEIPT while reading is paused gets it.
 *
 * <p>What was read is counted with the debug hook, which sees each frame as it is parsed. The broker's
 * queue is no witness here: Artemis acknowledges an auto-ack message once it has handed it to its side of
 * the connection, and keeps writing there whether or not the client reads.
 */
@DisplayName("Inbound back-pressure")
class InboundBackPressureIT {

    static final int BODY = 64 * 1024;
    static final int COUNT = 512; // 32 MiB, four times the pause mark; within Classic's default memory limit
    /** The pause mark (8 MiB: 127 of these with their overhead) plus what the current read may still hold. */
    private static final int MOST_READ_WHILE_BLOCKED = 160;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aCallbackWaitingForAReceiptWhileReadingIsPausedGetsIt(Wire wire) throws Exception {
        String queue = wire.queue("back-pressure-receipt");
        CountDownLatch paused = new CountDownLatch(1);
        CompletableFuture<Long> receiptMillis = new CompletableFuture<>();
        AtomicInteger received = new AtomicInteger();
        try (StompClient producer = wire.client(broker); StompClient consumer = wire.client(broker)) {
            floodUntilPaused(consumer, producer, broker.connectHeaders(), queue, message -> {
                if (received.incrementAndGet() == 1) {
                    awaitQuietly(paused);
                    long start = System.nanoTime();
                    try {
                        consumer.sendWithReceipt(wire.queue("elsewhere"), Map.of(), "from a callback").get(10, TimeUnit.SECONDS);
                        receiptMillis.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    } catch (Exception e) {
                        receiptMillis.completeExceptionally(e);
                    }
                }
            });

            paused.countDown();
            // Well within the 5 s after which stalled callbacks make jstomp read on anyway.
            assertThat(receiptMillis.get(10, TimeUnit.SECONDS)).isLessThan(2_000);
            waitAtMost(Duration.ofSeconds(30)).until(() -> received.get() == COUNT);
        }
    }

    /**
     * Clients share their I/O threads: connections whose reading is paused (as many as the shared pools'
     * core threads) hold up no other connection. Over WebSocket a paused connection holds a Grizzly
     * worker thread, and the shared worker pool has one thread more for it, only while it waits.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void pausedConnectionsDoNotHoldUpOtherConnections(Wire wire) throws Exception {
        // As many as the shared pools have core threads: a fixed pool would then have none left for the others.
        int pausedCount = Runtime.getRuntime().availableProcessors();
        int perConnection = 160; // past the pause mark (128 of these), and little for the broker to hold
        CountDownLatch release = new CountDownLatch(1);
        List<StompClient> clients = new CopyOnWriteArrayList<>();
        List<AtomicInteger> received = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < pausedCount; i++) {
                StompClient consumer = wire.client(broker);
                StompClient producer = wire.client(broker);
                clients.add(consumer);
                clients.add(producer);
                AtomicInteger count = new AtomicInteger();
                received.add(count);
                floodUntilPaused(consumer, producer, broker.connectHeaders(), wire.queue("back-pressure-many-" + i),
                        perConnection, message -> {
                            count.incrementAndGet();
                            awaitQuietly(release);
                        });
            }
            StompClient other = wire.client(broker);
            clients.add(other);
            other.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            String queue = wire.queue("back-pressure-other");
            CompletableFuture<String> got = new CompletableFuture<>();
            other.subscribe(queue, message -> got.complete(message.body()));
            long start = System.nanoTime();
            other.send(queue, Map.of(), "still flowing");
            assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("still flowing");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("InboundBackPressureIT %s: with %d connections paused another one got its message in %d ms%n",
                    wire, pausedCount, millis);
            assertThat(millis).isLessThan(2_000);
            int cores = Runtime.getRuntime().availableProcessors();
            if (wire.webSocket()) {
                // Every core worker waits for a paused connection: the other one was read by a thread lent for them.
                assertThat(webSocketWorkers()).isGreaterThan(pausedCount);
            }
            release.countDown();
            // Every paused connection reads on and gets the rest (nothing left in the broker for later tests).
            waitAtMost(Duration.ofSeconds(60)).until(() -> received.stream().allMatch(c -> c.get() == perConnection));
            if (wire.webSocket()) {
                // ... and once none waits, the pool is back at its core (at most one per core) within seconds.
                waitAtMost(Duration.ofSeconds(20)).until(() -> webSocketWorkers() <= cores);
            }
        } finally {
            release.countDown();
            clients.forEach(StompClient::close);
        }
    }

    private static long webSocketWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("jstomp-ws-worker")).count();
    }

    /** DISCONNECT waits for a RECEIPT, which reading has to bring even while the callbacks are blocked. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void disconnectingWhileReadingIsPausedGetsItsReceipt(Wire wire) throws Exception {
        String queue = wire.queue("back-pressure-disconnect");
        CountDownLatch release = new CountDownLatch(1);
        try (StompClient producer = wire.client(broker); StompClient consumer = wire.client(broker)) {
            floodUntilPaused(consumer, producer, broker.connectHeaders(), queue, message -> awaitQuietly(release));

            long start = System.nanoTime();
            consumer.disconnectAsync().get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Under the 5 s receipt timeout: the RECEIPT was read, not waited out.
            assertThat(millis).isLessThan(2_000);
            assertThat(consumer.state()).isEqualTo(ConnectionState.DISCONNECTED);
            release.countDown();
        }
    }

    @MatrixTest("A blocked ack:auto callback makes jstomp stop reading at 8 MiB, the rest waits in the broker; all arrive"
            + " afterwards, whole and in order, and heart-beats of 500 ms survive the pause")
    void aBlockedCallbackLeavesTheRestInTheBroker(BrokerTarget target) throws Exception {
        String queue = target.queue("back-pressure");
        AtomicInteger read = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> received = new CopyOnWriteArrayList<>();
        List<Integer> corrupt = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        StompClient consumer = target.client();
        countReads(consumer, read);
        if (target.target == Target.RABBITMQ_WS) {
            // RabbitMQ 3.10's Web-STOMP heart-beat monitor trips over its own flow control (WebSocketBatchingIT).
            consumer.heartbeat().outgoing(0).incoming(0);
        } else {
            // Paused for seconds: beats every 500 ms would call the broker dead after about a second.
            consumer.heartbeat().outgoing(500).incoming(500);
        }
        consumer.connect(target.connectHeaders(), connected -> { }, error -> errors.add(error.message()));
        waitAtMost(Duration.ofSeconds(10)).until(consumer::connected);
        consumer.subscribe(queue, message -> {
            int index = Integer.parseInt(message.header("index"));
            if (!message.body().equals(textBody(index))) {
                corrupt.add(index);
            }
            received.add(index);
            awaitQuietly(release);
        });
        flood(target.connected(), queue);

        int readWhileBlocked = awaitReadingPaused(read);
        assertThat(received).hasSize(1);
        release.countDown();
        waitAtMost(Duration.ofSeconds(60)).until(() -> received.size() == COUNT);
        assertThat(corrupt).isEmpty();
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, COUNT).boxed().toList());
        assertThat(errors).isEmpty();
        assertThat(consumer.connected()).isTrue();
        System.out.printf("InboundBackPressureIT %s: %d of %d messages (64 KiB) read while the callback was blocked%n",
                target, readWhileBlocked, COUNT);
    }

    /**
     * Connects both clients, subscribes the consumer with a callback that blocks, floods the queue and waits
     * until the consumer has stopped reading; how many messages it read.
     */
    static int floodUntilPaused(StompClient consumer, StompClient producer, Map<String, String> login, String queue,
            Consumer<StompMessage> blockingCallback) throws Exception {
        return floodUntilPaused(consumer, producer, login, queue, COUNT, blockingCallback);
    }

    private static int floodUntilPaused(StompClient consumer, StompClient producer, Map<String, String> login,
            String queue, int count, Consumer<StompMessage> blockingCallback) throws Exception {
        AtomicInteger read = new AtomicInteger();
        countReads(consumer, read);
        consumer.connectAsync(login).get(10, TimeUnit.SECONDS);
        consumer.subscribe(queue, blockingCallback);
        producer.connectAsync(login).get(10, TimeUnit.SECONDS);
        flood(producer, queue, count);
        return awaitReadingPaused(read);
    }

    /** Counts the MESSAGE frames the client parses, through its debug hook; set before connecting. */
    private static void countReads(StompClient consumer, AtomicInteger read) {
        consumer.debug(line -> {
            if (line.startsWith("<<< MESSAGE")) {
                read.incrementAndGet();
            }
        });
    }

    /** COUNT messages of 64 KiB, text (Web-STOMP delivers MESSAGE frames as text WebSocket messages). */
    private static void flood(StompClient producer, String queue) throws Exception {
        flood(producer, queue, COUNT);
    }

    private static void flood(StompClient producer, String queue, int count) throws Exception {
        for (int i = 0; i < count - 1; i++) {
            producer.send(queue, Map.of("index", Integer.toString(i)), textBody(i));
        }
        producer.sendWithReceipt(queue, Map.of("index", Integer.toString(count - 1)), textBody(count - 1))
                .get(30, TimeUnit.SECONDS);
    }

    /** Waits until reading has stopped near the pause mark (the first callback being blocked); how many were read. */
    private static int awaitReadingPaused(AtomicInteger read) {
        waitAtMost(Duration.ofSeconds(10)).until(() -> read.get() > MOST_READ_WHILE_BLOCKED / 2);
        // Without back-pressure the client reads all 1,024 within milliseconds.
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> read.get() <= MOST_READ_WHILE_BLOCKED);
        return read.get();
    }

    /** 64 KiB of one letter, and the index: which message it is, and whether it arrived whole. */
    static String textBody(int index) {
        return index + ":" + String.valueOf((char) ('a' + index % 26)).repeat(BODY - 8);
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
