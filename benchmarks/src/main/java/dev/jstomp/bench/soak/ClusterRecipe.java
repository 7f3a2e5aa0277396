package dev.jstomp.bench.soak;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;

/**
 * The README's at-least-once recipe for a RabbitMQ cluster, runnable:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.jstomp.bench.soak.ClusterRecipe [URL...]} (default: the
 * three nodes of {@code .ci/clusters.sh} over TCP). A quorum queue, persistent sends with receipts and a resend of
 * whatever was not receipted, {@code client-individual} acks after idempotent work. Kill a node while it runs.
 */
public final class ClusterRecipe {

    private ClusterRecipe() {
    }

    public static void main(String[] args) throws Exception {
        List<String> nodes = args.length > 0 ? List.of(args)
                : List.of("tcp://127.0.0.1:61711", "tcp://127.0.0.1:61712", "tcp://127.0.0.1:61713");
        Map<String, String> login = Map.of("login", "guest", "passcode", "guest", "host", "/");
        Set<String> done = ConcurrentHashMap.newKeySet(); // idempotent work: a redelivered order is done once

        try (StompClient consumer = Stomp.client(nodes); StompClient producer = Stomp.client(nodes)) {
            for (StompClient client : List.of(consumer, producer)) {
                client.reconnectDelay(200).reconnectMaxDelay(2_000).receiptTimeout(Duration.ofSeconds(3));
            }
            consumer.connectAsync(login).get(30, TimeUnit.SECONDS);
            // Watched before the SUBSCRIBE goes out, so its RECEIPT cannot arrive first.
            CompletableFuture<StompFrame> subscribed = consumer.watchForReceipt("orders-subscribed");
            // SUBSCRIBE to /queue/NAME with these headers declares a durable quorum queue (replicated on the nodes).
            consumer.subscribe("/queue/orders", message -> {
                if (done.add(message.body())) {
                    System.out.println("processed " + message.body() + " on " + consumer.connectedTo());
                }
                message.ack(); // after the work: a message not acknowledged is redelivered, never lost
            }, Map.of("ack", "client-individual", "prefetch-count", "100",
                    "x-queue-type", "quorum", "durable", "true", "auto-delete", "false",
                    "receipt", "orders-subscribed"));
            subscribed.get(10, TimeUnit.SECONDS);

            producer.connectAsync(login).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                String order = "order-" + i;
                sendUntilReceipted(producer, order);
                TimeUnit.MILLISECONDS.sleep(100); // a slow trickle, so there is time to kill a node
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (done.size() < 100 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            System.out.println(done.size() + " of 100 orders processed");
        }
    }

    /** {@code persistent:true}: the RECEIPT waits for the quorum's confirm; no receipt, send again. */
    private static void sendUntilReceipted(StompClient producer, String order) throws InterruptedException {
        while (true) {
            try {
                CompletableFuture<StompFrame> receipt = producer.sendWithReceipt("/amq/queue/orders",
                        Map.of("persistent", "true"), order);
                receipt.get(10, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                    | dev.jstomp.StompException e) {
                System.out.println("resending " + order + ": " + e.getMessage());
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }
}
