package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failover across the real 3-node RabbitMQ cluster of {@code .ci/clusters.sh}: a quorum queue (declared over
 * AMQP, consumed at {@code /amq/queue/NAME}), a producer sending {@code persistent:true} with receipts and a
 * consumer with {@code client-individual} acks, each given all three nodes' URLs, one over TCP and one over
 * Web-STOMP. While at least 10,000 messages flow (production goes on until the last kill has been seen
 * through), the consumer's node is {@code kill -9}ed, restarted, and once its replica of the queue has
 * caught up (as a careful rolling restart checks), the producer's node is killed. Every receipted message
 * is consumed; each kill's next delivery comes within reconnectDelay + 2 s; duplicates and each step's time
 * from the kill are printed (the figures end up in {@code target/cluster-figures.md}).
 */
class RabbitClusterFailoverIT {

    static final long RECONNECT_DELAY = 200;
    private static final int MESSAGES = 10_000;
    private static final int RATE = 1_000;

    @BeforeAll
    static void cluster() {
        RabbitCluster.require();
    }

    @AfterAll
    static void fullClusterForWhatFollows() {
        RabbitCluster.startAll();
    }

    @ParameterizedTest(name = "consumer over {0}")
    @ValueSource(strings = {"Web-STOMP", "TCP"})
    void killingTheConsumersNodeThenTheProducersLosesNoReceiptedMessage(String consumerTransport) throws Exception {
        boolean consumerWs = consumerTransport.equals("Web-STOMP");
        String queue = "jstomp-it-quorum-" + System.nanoTime();
        RabbitCluster.declareQuorumQueue(queue);
        List<ClusterWorkload.Kill> kills = new ArrayList<>();
        // Different first nodes, so the two kills hit one client each.
        List<String> consumerUrls = urls(consumerWs, 1);
        List<String> producerUrls = urls(!consumerWs, 2);
        try (ClusterWorkload run = new ClusterWorkload(producerUrls, consumerUrls, "/amq/queue/" + queue, MESSAGES,
                RATE, RECONNECT_DELAY)) {
            run.keepProducing(true); // until the last kill has been seen through
            run.start(Map.of("login", Endpoints.RABBITMQ_USER, "passcode", Endpoints.RABBITMQ_PASSWORD, "host", "/"),
                    "/amq/queue/" + queue, Map.of("prefetch-count", "500"));
            assertThat(run.consumer.connectedTo()).isEqualTo(consumerUrls.get(0));
            assertThat(run.producer.connectedTo()).isEqualTo(producerUrls.get(0));

            awaitUntil("2,000 consumed", Duration.ofSeconds(30), () -> run.consumedDistinct() >= 2_000);
            awaitUntil("the consumer connected", Duration.ofSeconds(30), run.consumer::connected);
            int consumerNode = RabbitCluster.nodeOf(run.consumer.connectedTo());
            kills.add(RabbitCluster.kill(consumerNode,
                    () -> run.arm("kill -9 node " + consumerNode + " (the consumer's)", consumerNode)));
            ClusterWorkload.Kill first = kills.get(0);
            awaitUntil("a delivery after the first kill", Duration.ofSeconds(30), () -> first.nextDeliveryNanos != 0);
            assertThat(RabbitCluster.nodeOf(run.consumer.connectedTo())).as("consumer on a surviving node")
                    .isNotEqualTo(consumerNode);

            // Back with a full cluster (two of three nodes are needed for the quorum queue) before the next kill,
            // and, as a careful operator's rolling restart does, not before the restarted node's replica of the
            // queue has caught up: killing the next node earlier leaves the queue to a lagging replica.
            RabbitCluster.startNode(consumerNode);
            int receiptedAtRestart = run.receiptedCount();
            awaitUntil("500 more receipted after the restart", Duration.ofSeconds(30),
                    () -> run.receiptedCount() >= receiptedAtRestart + 500);
            awaitUntil("the producer connected", Duration.ofSeconds(30), run.producer::connected);
            System.out.println("RabbitClusterFailoverIT: " + RabbitCluster.awaitReplicaCaughtUp(consumerNode,
                    RabbitCluster.nodeOf(run.producer.connectedTo()), queue));
            awaitUntil("the producer connected", Duration.ofSeconds(30), run.producer::connected);
            int producerNode = RabbitCluster.nodeOf(run.producer.connectedTo());
            kills.add(RabbitCluster.kill(producerNode,
                    () -> run.arm("kill -9 node " + producerNode + " (the producer's)", producerNode)));
            ClusterWorkload.Kill second = kills.get(1);
            awaitUntil("the producer reconnected after the second kill", Duration.ofSeconds(30),
                    () -> second.producerBackNanos != 0);
            assertThat(RabbitCluster.nodeOf(run.producer.connectedTo())).as("producer on a surviving node")
                    .isNotEqualTo(producerNode);
            awaitUntil("a delivery after the second kill", Duration.ofSeconds(30), () -> second.nextDeliveryNanos != 0);
            run.keepProducing(false);

            awaitUntil("every message receipted and every receipted one consumed", Duration.ofSeconds(90), run::settled);
            System.out.printf("RabbitClusterFailoverIT [consumer %s, producer %s]: %s%n", consumerTransport,
                    consumerWs ? "TCP" : "Web-STOMP", run.summary());
            ClusterReport.record("RabbitMQ 3-node cluster, quorum queue: consumer over " + consumerTransport
                    + ", producer over " + (consumerWs ? "TCP" : "Web-STOMP"), "kill -9 of the consumer's node, "
                    + "restarted; then kill -9 of the producer's node", run, kills);

            assertThat(run.receiptedNotConsumed()).as("receipted messages never consumed").isEmpty();
            assertThat(run.receiptedCount()).isEqualTo(run.producedCount()).isGreaterThanOrEqualTo(MESSAGES);
            for (ClusterWorkload.Kill kill : kills) { // the target: reconnectDelay + 2 s
                assertThat(kill.nextDeliveryMillis()).as("ms from %s to the next delivery", kill.what)
                        .isBetween(0L, RECONNECT_DELAY + 2_000);
            }
        } finally {
            kills.forEach(kill -> System.out.println("  " + kill.timeline())); // also when a wait failed
            RabbitCluster.startAll();
            RabbitCluster.deleteQueueQuietly(queue);
        }
    }

    /** Every node's URL over one transport, starting with {@code first}. */
    private static List<String> urls(boolean webSocket, int first) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < RabbitCluster.NODES; i++) {
            int node = (first - 1 + i) % RabbitCluster.NODES + 1;
            urls.add(webSocket ? RabbitCluster.wsUrl(node) : RabbitCluster.stompUrl(node));
        }
        return urls;
    }

    static void awaitUntil(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(20)).until(condition);
    }
}
