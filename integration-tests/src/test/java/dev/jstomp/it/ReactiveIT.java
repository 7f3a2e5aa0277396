package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;

import dev.jstomp.Broker;
import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.reactor.ReactiveStomp;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * jstomp-reactor on every broker: a {@code watch} Flux delivers in order, cancelling it sends UNSUBSCRIBE and
 * leaves the rest in the queue, and the subscriber's demand bounds what the client reads: with client acks
 * no more than the requested messages plus the broker window ({@code min(first request, 32)}) are read.
 * What was read is counted with the debug hook, which sees each MESSAGE as it is parsed.
 */
@DisplayName("Reactive (jstomp-reactor)")
class ReactiveIT {

    static final Map<String, String> CLIENT_INDIVIDUAL = Map.of("ack", "client-individual");
    /** 1 KiB bodies: Artemis's byte window (1,024 bytes per message of window) then counts exactly. */
    static final int BODY = 1024;

    @MatrixTest("watch: messages in order; cancel sends UNSUBSCRIBE and what was not delivered stays in the queue")
    void orderAndCancel(BrokerTarget target) throws Exception {
        String queue = target.queue("rx-order");
        Counted consumer = Counted.connect(target);
        send(producer(target), queue, 20, 16);

        ReactiveStomp rx = ReactiveStomp.from(consumer.client);
        StepVerifier.create(rx.watch(queue, CLIENT_INDIVIDUAL).doOnNext(StompMessage::ack).take(10).map(ReactiveIT::index))
                .expectNextSequence(IntStream.range(0, 10).boxed().toList())
                .expectComplete()
                .verify(Duration.ofSeconds(20));
        waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.sent("UNSUBSCRIBE") == 1);

        // The ten not delivered (read ahead or never sent to us) are still in the queue, for the next subscriber.
        if (target.is(Broker.RABBITMQ)) {
            // Those read ahead stay unacknowledged on the connection until it closes: RabbitMQ refuses ACK and
            // NACK after UNSUBSCRIBE (and a NACK before it would have them redelivered to the same subscription).
            consumer.client.close();
            target.unsupported("unacknowledged messages read ahead go back to the queue only when the connection"
                    + " closes; RabbitMQ refuses ACK and NACK after UNSUBSCRIBE");
        }
        ReactiveStomp other = ReactiveStomp.from(target.connected());
        StepVerifier.create(other.watch(queue, CLIENT_INDIVIDUAL).doOnNext(StompMessage::ack).take(10).map(ReactiveIT::index))
                .recordWith(ArrayList::new)
                .expectNextCount(10)
                .consumeRecordedWith(rest -> assertThat(rest).containsExactlyInAnyOrderElementsOf(
                        IntStream.range(10, 20).boxed().toList()))
                .expectComplete()
                .verify(Duration.ofSeconds(20));
    }

    @MatrixTest("request(5) from a queue of 1,000 (client-individual): 5 arrive, no more are read, and after"
            + " cancel another consumer gets the other 995 from the broker")
    void demandReachesTheBroker(BrokerTarget target) throws Exception {
        String queue = target.queue("rx-demand");
        Counted consumer = Counted.connect(target);
        send(producer(target), queue, 1_000, BODY);

        StepVerifier.create(ReactiveStomp.from(consumer.client).watch(queue, CLIENT_INDIVIDUAL).map(ReactiveIT::index), 0)
                .thenRequest(5)
                .expectNext(0, 1, 2, 3, 4)
                // The window is min(5, 32) = 5: the broker sends no more until one is acknowledged.
                .then(() -> Awaitility.await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                        .until(() -> consumer.reads.get() >= 5 && consumer.reads.get() <= mostRead(target, 5)))
                .thenCancel()
                .verify(Duration.ofSeconds(20));
        waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.sent("UNSUBSCRIBE") == 1);
        assertThat(consumer.reads.get()).isBetween(5, mostRead(target, 5));
        if (target.is(Broker.RABBITMQ)) {
            consumer.client.close(); // the five delivered and never acknowledged stay with the connection until then
        }

        Set<Integer> other = ConcurrentHashMap.newKeySet();
        target.connected().subscribe(queue, message -> other.add(index(message)));
        List<Integer> rest = IntStream.range(5, 1_000).boxed().toList();
        waitAtMost(Duration.ofSeconds(30)).until(() -> other.containsAll(rest));
        System.out.printf("ReactiveIT request(5) %s: %d of 1,000 read%n", target, consumer.reads.get());
    }

    /**
     * The most messages of {@link #BODY} bytes a window of {@code window} lets the client read: the window on
     * RabbitMQ and Classic; on Artemis, window x 4,096 bytes of messages of 1 KiB bodies or more.
     */
    static int mostRead(BrokerTarget target, int window) {
        return target.is(Broker.ARTEMIS) ? window * 4096 / BODY : window;
    }

    @MatrixTest("slow subscriber (10 ms per message, acknowledging each) on a queue of 20,000 x 1 KiB: the client never"
            + " holds more than the broker's window unacknowledged (32 messages; Artemis: 128 KiB); the rest stays in the broker")
    void slowSubscriberKeepsTheClientBounded(BrokerTarget target) throws Exception {
        int messages = 20_000;
        int consumed = 150; // 1.5 s at 10 ms each: far more than the window, far fewer than the queue
        String queue = target.queue("rx-slow");
        Counted consumer = Counted.connect(target);
        send(producer(target), queue, messages, BODY);

        AtomicInteger acked = new AtomicInteger();
        AtomicLong mostUnacked = new AtomicLong();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        long heapBefore = FaultKit.Resources.heapAfterGc();
        StepVerifier.create(ReactiveStomp.from(consumer.client).watch(queue, CLIENT_INDIVIDUAL)
                        // concatMap with a prefetch of 32 asks for 32 first, so the window is 32.
                        .concatMap(ReactiveStomp.ackAfter(message -> {
                            mostUnacked.accumulateAndGet(consumer.reads.get() - acked.get(), Math::max);
                            return Mono.delay(Duration.ofMillis(10));
                        }), 32)
                        .doOnNext(message -> acked.incrementAndGet())
                        .map(ReactiveIT::index)
                        .doOnNext(seen::add)
                        .take(consumed))
                .expectNextCount(consumed)
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        long heapAfter = FaultKit.Resources.heapAfterGc();
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, consumed).boxed().toList());
        // Read and not yet acknowledged: the broker's window, whatever the queue holds.
        assertThat(mostUnacked.get()).as("messages read and not acknowledged").isLessThanOrEqualTo(mostRead(target, 32));
        assertThat(consumer.reads.get()).as("messages read in all").isLessThanOrEqualTo(consumed + mostRead(target, 32));

        // The rest is in the broker: another consumer drains it.
        AtomicInteger rest = new AtomicInteger();
        target.connected().subscribe(queue, message -> rest.incrementAndGet());
        // RabbitMQ holds the cancelled subscription's unacknowledged messages (at most the window) for the
        // consumer's connection until it closes.
        int held = target.is(Broker.RABBITMQ) ? mostRead(target, 32) : 0;
        waitAtMost(Duration.ofSeconds(60)).until(() -> rest.get() >= messages - consumed - held);
        // RabbitMQ answers a delivery that crossed the UNSUBSCRIBE with an ERROR that ends nothing (jstomp ignores it).
        assertThat(consumer.client.connected()).as("the consumer is still connected after the cancel").isTrue();
        if (held > 0) {
            consumer.client.close();
        }
        waitAtMost(Duration.ofSeconds(60)).until(() -> rest.get() == messages - consumed);
        System.out.printf("ReactiveIT slow subscriber %s: %d of %d read, at most %d read and unacknowledged; "
                        + "heap after GC %d KiB before, %d KiB after%n", target, consumer.reads.get(), messages,
                mostUnacked.get(), heapBefore / 1024, heapAfter / 1024);
    }

    @MatrixTest("several subscribers to one watch Flux each have their own subscription; share() makes one")
    void eachSubscriberSubscribes(BrokerTarget target) throws Exception {
        String topic = target.topic("rxtopic");
        Counted consumer = Counted.connect(target);
        Flux<Integer> watch = ReactiveStomp.from(consumer.client).watch(topic).map(ReactiveIT::index);
        List<Integer> a = new CopyOnWriteArrayList<>();
        List<Integer> b = new CopyOnWriteArrayList<>();
        Disposable first = watch.subscribe(a::add);
        Disposable second = watch.subscribe(b::add);
        waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.sent("SUBSCRIBE") == 2);
        awaitReceipts(consumer, 2);
        send(producer(target), topic, 10, 16);
        waitAtMost(Duration.ofSeconds(20)).until(() -> a.size() == 10 && b.size() == 10);
        assertThat(a).isEqualTo(b).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
        first.dispose();
        second.dispose();
        waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.sent("UNSUBSCRIBE") == 2);

        Flux<Integer> shared = watch.share();
        List<Integer> c = new CopyOnWriteArrayList<>();
        List<Integer> d = new CopyOnWriteArrayList<>();
        Disposable third = shared.subscribe(c::add);
        Disposable fourth = shared.subscribe(d::add);
        waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.sent("SUBSCRIBE") == 3);
        awaitReceipts(consumer, 3);
        send(producer(target), topic, 10, 16);
        waitAtMost(Duration.ofSeconds(20)).until(() -> c.size() == 10 && d.size() == 10);
        third.dispose();
        fourth.dispose();
        waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.sent("UNSUBSCRIBE") == 3);
        assertThat(consumer.sent("SUBSCRIBE")).isEqualTo(3);
    }

    /** A topic delivers only to subscriptions made before the send: SUBSCRIBE's receipt says it is made. */
    private static void awaitReceipts(Counted consumer, int count) {
        waitAtMost(Duration.ofSeconds(10)).until(() -> consumer.received("RECEIPT") >= count);
    }

    /**
     * A connected client to send with. On Web-STOMP without heart-beats: RabbitMQ 3.10's heart-beat monitor
     * trips over its own flow control under a burst of sends (see WebSocketBatchingIT).
     */
    static StompClient producer(BrokerTarget target) throws Exception {
        StompClient client = target.client();
        client.receiptTimeout(Duration.ofSeconds(60)); // 20 MB queued ahead of the last receipt, on a loaded machine
        if (target.target == Target.RABBITMQ_WS) {
            client.heartbeat().outgoing(0).incoming(0);
        }
        client.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
        return client;
    }

    static int index(StompMessage message) {
        return Integer.parseInt(message.header("index"));
    }

    /** {@code count} messages with an {@code index} header and bodies of {@code bodyBytes}; the last with a receipt. */
    static void send(StompClient producer, String destination, int count, int bodyBytes) throws Exception {
        String body = "x".repeat(bodyBytes);
        for (int i = 0; i < count - 1; i++) {
            producer.send(destination, Map.of("index", Integer.toString(i)), body);
        }
        producer.sendWithReceipt(destination, Map.of("index", Integer.toString(count - 1)), body)
                .get(60, TimeUnit.SECONDS);
    }

    /** A connected client whose debug hook counts the MESSAGE frames read and the commands written. */
    static final class Counted {
        final StompClient client;
        final AtomicInteger reads = new AtomicInteger();
        final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();

        private Counted(StompClient client) {
            this.client = client;
        }

        static Counted connect(BrokerTarget target) throws Exception {
            Counted counted = new Counted(target.client());
            counted.client.debug(line -> {
                if (line.startsWith("<<< MESSAGE")) {
                    counted.reads.incrementAndGet();
                }
                int end = line.indexOf('\n');
                String command = end < 0 ? line : line.substring(0, end);
                counted.commands.computeIfAbsent(command, c -> new AtomicInteger()).incrementAndGet();
            });
            Map<String, String> headers = new LinkedHashMap<>(target.connectHeaders());
            counted.client.connectAsync(headers).get(10, TimeUnit.SECONDS);
            return counted;
        }

        int sent(String command) {
            AtomicInteger n = commands.get(">>> " + command);
            return n == null ? 0 : n.get();
        }

        int received(String command) {
            AtomicInteger n = commands.get("<<< " + command);
            return n == null ? 0 : n.get();
        }
    }
}
