package dev.jstomp.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompException;

/**
 * The at-least-once recipe under node failures: one producer sending {@code persistent:true} with receipts
 * (resending whatever was not receipted), one consumer with {@code client-individual} acks (acking after
 * recording), each given every node's URL. It counts what was receipted, consumed and duplicated, and
 * measures, for a kill, how long until the next delivery and until each affected client was connected again.
 */
final class ClusterWorkload implements AutoCloseable {

    private static final int WINDOW = 200; // receipts in flight

    final StompClient producer;
    final StompClient consumer;
    private final String sendTo;
    private final int total;
    private final int ratePerSecond;
    private final Map<Integer, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> receipted = new ConcurrentHashMap<>();
    private final Queue<Integer> toResend = new ConcurrentLinkedQueue<>();
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicLong resends = new AtomicLong();
    private final AtomicLong totalDeliveries = new AtomicLong();
    private final AtomicInteger consumerConnects = new AtomicInteger();
    private final AtomicInteger producerConnects = new AtomicInteger();
    private final List<String> producerErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile @Nullable Kill armed;
    private volatile boolean stopped;
    /** While set, production goes on past {@code total}, so traffic flows through every kill a test makes. */
    private volatile boolean keepProducing;
    private final AtomicInteger produced = new AtomicInteger();
    private @Nullable Thread producing;

    /** One kill and what it cost: filled in by the clients' callbacks. */
    static final class Kill {
        final String what;
        final long atNanos = System.nanoTime();
        /** The same instant on the wall clock, to line up with client and broker logs. */
        private final java.time.LocalTime atClock = java.time.LocalTime.now();
        final boolean consumerHit;
        final boolean producerHit;
        final int consumerConnectsBefore;
        final int producerConnectsBefore;
        volatile long nextDeliveryNanos;
        volatile long consumerBackNanos;
        volatile long producerBackNanos;
        /** When each hit client saw its connection end (RECONNECTING): how long detecting the dead node took. */
        volatile long consumerLostNanos;
        volatile long producerLostNanos;
        /** The first RECEIPT after the kill (after the producer's reconnect if it was hit): the broker storing again. */
        volatile long firstReceiptNanos;
        /** Receipt failures after the kill: the first one's time and text, and how many ("receipt stalls" among them). */
        volatile long firstReceiptFailureNanos;
        volatile @Nullable String firstReceiptFailure;
        final AtomicInteger receiptFailures = new AtomicInteger();
        final AtomicInteger receiptStalls = new AtomicInteger();
        /** The first delivery of a message produced after the kill: production through the cluster again. */
        volatile long firstNewDeliveryNanos;
        volatile int producedBefore;
        /** Broker-side steps (a backup active, a node restarted), noted by the test as they are seen. */
        final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** Notes a broker-side step seen at {@code nanos} (System.nanoTime). */
        void note(String step, long nanos) {
            notes.add(step + " " + since(atNanos, nanos));
        }

        Kill(String what, boolean consumerHit, boolean producerHit, int consumerConnects, int producerConnects) {
            this.what = what;
            this.consumerHit = consumerHit;
            this.producerHit = producerHit;
            this.consumerConnectsBefore = consumerConnects;
            this.producerConnectsBefore = producerConnects;
        }

        long nextDeliveryMillis() {
            return nextDeliveryNanos == 0 ? -1 : (nextDeliveryNanos - atNanos) / 1_000_000;
        }

        private static String since(long at, long nanos) {
            return nanos == 0 ? "-" : (nanos - at) / 1_000_000 + " ms";
        }

        @Override
        public String toString() {
            return what + ": next delivery " + since(atNanos, nextDeliveryNanos)
                    + (consumerHit ? ", consumer reconnected " + since(atNanos, consumerBackNanos) : "")
                    + (producerHit ? ", producer reconnected " + since(atNanos, producerBackNanos) : "");
        }

        /** Where the time went: each step's time from the kill, client steps and broker steps apart. */
        String timeline() {
            return what + " at " + atClock + ": " + (consumerHit ? "consumer lost " + since(atNanos, consumerLostNanos) + ", back "
                    + since(atNanos, consumerBackNanos) + "; " : "")
                    + (producerHit ? "producer lost " + since(atNanos, producerLostNanos) + ", back "
                    + since(atNanos, producerBackNanos) + "; " : "")
                    + (notes.isEmpty() ? "" : String.join(", ", notes) + "; ")
                    + "first receipt " + since(atNanos, firstReceiptNanos) + "; next delivery "
                    + since(atNanos, nextDeliveryNanos) + ", of a new message " + since(atNanos, firstNewDeliveryNanos)
                    + "; receipt failures " + receiptFailures + " (stalls "
                    + receiptStalls + (firstReceiptFailure == null ? "" : ", first at "
                    + since(atNanos, firstReceiptFailureNanos) + ": " + firstReceiptFailure) + ")";
        }
    }

    ClusterWorkload(List<String> producerUrls, List<String> consumerUrls, String sendTo, int total, int ratePerSecond,
            long reconnectDelay) {
        this.sendTo = sendTo;
        this.total = total;
        this.ratePerSecond = ratePerSecond;
        producer = Stomp.client(producerUrls);
        consumer = Stomp.client(consumerUrls);
        for (StompClient client : List.of(producer, consumer)) {
            // Heart-beats off: a killed node's sockets are closed by its kernel at once, and RabbitMQ 3.10
            // Web-STOMP's heart-beat monitor can crash under a burst of sends (see README, Limits).
            client.heartbeat().outgoing(0).incoming(0);
            client.reconnectDelay(reconnectDelay).reconnectMaxDelay(2_000).connectTimeout(Duration.ofSeconds(3))
                    .receiptTimeout(Duration.ofSeconds(3)).heldSendLimit(WINDOW * 2, 64L * 1024 * 1024);
        }
        consumer.onStateChange(state -> {
            Kill lost = armed;
            if (state == ConnectionState.RECONNECTING && lost != null && lost.consumerHit && lost.consumerLostNanos == 0) {
                lost.consumerLostNanos = System.nanoTime();
            }
            if (state == ConnectionState.CONNECTED) {
                consumerConnects.incrementAndGet();
                Kill kill = armed;
                if (kill != null && kill.consumerHit && kill.consumerBackNanos == 0
                        && consumerConnects.get() > kill.consumerConnectsBefore) {
                    kill.consumerBackNanos = System.nanoTime();
                }
            }
        });
        producer.onStateChange(state -> {
            Kill lost = armed;
            if (state == ConnectionState.RECONNECTING && lost != null && lost.producerHit && lost.producerLostNanos == 0) {
                lost.producerLostNanos = System.nanoTime();
            }
            if (state == ConnectionState.CONNECTED) {
                producerConnects.incrementAndGet();
                Kill kill = armed;
                if (kill != null && kill.producerHit && kill.producerBackNanos == 0) {
                    kill.producerBackNanos = System.nanoTime();
                }
            }
        });
    }

    /** Connects both (bounded), subscribes the consumer to {@code subscribeTo}, starts producing. */
    void start(Map<String, String> connectHeaders, String subscribeTo, Map<String, String> subscribeHeaders)
            throws Exception {
        consumer.connectAsync(connectHeaders).get(30, TimeUnit.SECONDS);
        Map<String, String> headers = new java.util.LinkedHashMap<>(subscribeHeaders);
        headers.put("ack", "client-individual");
        consumer.subscribe(subscribeTo, message -> {
            int seq = Integer.parseInt(message.body());
            deliveries.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet();
            totalDeliveries.incrementAndGet();
            Kill kill = armed;
            if (kill != null && kill.nextDeliveryNanos == 0
                    && (!kill.consumerHit || consumerConnects.get() > kill.consumerConnectsBefore)) {
                kill.nextDeliveryNanos = System.nanoTime();
            }
            if (kill != null && kill.firstNewDeliveryNanos == 0 && seq >= kill.producedBefore) {
                kill.firstNewDeliveryNanos = System.nanoTime();
            }
            try {
                message.ack();
            } catch (StompException e) {
                // The connection it came on is gone: the broker redelivers it, which we count as a duplicate.
            }
        }, headers);
        producer.connectAsync(connectHeaders).get(30, TimeUnit.SECONDS);
        producing = new Thread(this::produce, "cluster-workload-producer");
        producing.setDaemon(true);
        producing.start();
    }

    private void produce() {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        long next = System.nanoTime();
        while (!stopped) {
            Integer seq = toResend.poll();
            if (seq == null) {
                if (produced.get() >= total && !keepProducing) {
                    if (receipted.size() >= produced.get()) {
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    continue;
                }
                seq = produced.getAndIncrement();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing the producer to its rate, not synchronising a test
                }
                next += intervalNanos;
            }
            try {
                if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
                    toResend.add(seq);
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            int sent = seq;
            try {
                producer.sendWithReceipt(sendTo, Map.of("persistent", "true"), Integer.toString(sent))
                        .whenComplete((receipt, failure) -> {
                            window.release();
                            Kill kill = armed;
                            if (failure == null) {
                                receipted.put(sent, Boolean.TRUE);
                                if (kill != null && kill.firstReceiptNanos == 0
                                        && (!kill.producerHit || kill.producerBackNanos != 0)) {
                                    kill.firstReceiptNanos = System.nanoTime();
                                }
                            } else {
                                if (kill != null) {
                                    receiptFailed(kill, failure);
                                }
                                resend(sent, failure);
                            }
                        });
            } catch (StompException e) { // not connected and not reconnecting (yet): try again shortly
                window.release();
                resend(sent, e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    private static void receiptFailed(Kill kill, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (kill.receiptFailures.getAndIncrement() == 0) {
            kill.firstReceiptFailureNanos = System.nanoTime();
            kill.firstReceiptFailure = cause.getClass().getSimpleName() + " " + cause.getMessage();
        }
        if (cause instanceof dev.jstomp.StompTimeoutException) {
            kill.receiptStalls.incrementAndGet();
        }
    }

    private void resend(int seq, Throwable why) {
        resends.incrementAndGet();
        if (producerErrors.size() < 20) {
            producerErrors.add(why.getMessage());
        }
        toResend.add(seq);
    }

    /** Marks a kill about to happen to RabbitMQ cluster node {@code node} (1-3); call just before killing it. */
    Kill arm(String what, int node) {
        boolean consumerHit = RabbitCluster.nodeOf(String.valueOf(consumer.connectedTo())) == node;
        boolean producerHit = RabbitCluster.nodeOf(String.valueOf(producer.connectedTo())) == node;
        return arm(what, consumerHit, producerHit);
    }

    Kill arm(String what, boolean consumerHit, boolean producerHit) {
        Kill kill = new Kill(what, consumerHit, producerHit, consumerConnects.get(), producerConnects.get());
        kill.producedBefore = produced.get();
        armed = kill;
        return kill;
    }

    /** While on, the producer goes past its total (for as long as the test has kills to make). */
    void keepProducing(boolean on) {
        keepProducing = on;
    }

    /** Messages produced so far (each with a sequence number of its own; resends not counted). */
    int producedCount() {
        return produced.get();
    }

    int receiptedCount() {
        return receipted.size();
    }

    int consumedDistinct() {
        return deliveries.size();
    }

    /** Receipted messages that were never consumed (must be none once the run settles). */
    List<Integer> receiptedNotConsumed() {
        List<Integer> missing = new ArrayList<>();
        for (Integer seq : receipted.keySet()) {
            if (!deliveries.containsKey(seq)) {
                missing.add(seq);
            }
        }
        return missing;
    }

    boolean settled() {
        return !keepProducing && receipted.size() >= Math.max(total, produced.get()) && receiptedNotConsumed().isEmpty();
    }

    long duplicates() {
        return totalDeliveries.get() - deliveries.size();
    }

    String summary() {
        return "sent " + produced.get() + ", receipted " + receipted.size() + ", consumed " + deliveries.size()
                + " distinct in " + totalDeliveries.get() + " deliveries (" + duplicates() + " duplicates), "
                + resends.get() + " resends; producer on " + producer.connectedTo() + ", consumer on "
                + consumer.connectedTo() + (producerErrors.isEmpty() ? "" : "; first producer errors: "
                + producerErrors.subList(0, Math.min(3, producerErrors.size())));
    }

    @Override
    public void close() {
        stopped = true;
        if (producing != null) {
            producing.interrupt();
        }
        producer.close();
        consumer.close();
    }
}
