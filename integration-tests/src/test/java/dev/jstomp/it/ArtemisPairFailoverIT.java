package dev.jstomp.it;

import static dev.jstomp.it.RabbitClusterFailoverIT.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failover across an Artemis primary/backup pair with replication, each server a JVM of its own
 * ({@link ArtemisPair}): while at least 10,000 {@code persistent:true} receipted messages flow to a
 * {@code client-individual} consumer, the primary is {@code kill -9}ed; both clients (given the primary's
 * and the backup's URLs) move to the backup once it is active. Then the primary comes back: it syncs from
 * the backup and takes over (failback); the backup, going passive, closes its STOMP connections (STOMP has
 * no failback message), and the clients reconnect to the primary, the next URL in their list.
 */
class ArtemisPairFailoverIT {

    private static final long RECONNECT_DELAY = 200;
    private static final int MESSAGES = 10_000;
    private static final int RATE = 1_000;

    @ParameterizedTest(name = "consumer over {0}")
    @ValueSource(strings = {"WebSocket", "TCP"})
    void killingThePrimaryMovesClientsToTheBackupAndFailbackMovesThemHome(String consumerTransport) throws Exception {
        boolean consumerWs = consumerTransport.equals("WebSocket");
        String queue = "/queue/jstomp-it-pair-" + System.nanoTime();
        List<ClusterWorkload.Kill> events = new ArrayList<>();
        try (ArtemisPair pair = ArtemisPair.start()) {
            List<String> consumerUrls = consumerWs ? List.of(pair.primaryWsUrl(), pair.backupWsUrl())
                    : List.of(pair.primaryTcpUrl(), pair.backupTcpUrl());
            List<String> producerUrls = consumerWs ? List.of(pair.primaryTcpUrl(), pair.backupTcpUrl())
                    : List.of(pair.primaryWsUrl(), pair.backupWsUrl());
            try (ClusterWorkload run = new ClusterWorkload(producerUrls, consumerUrls, queue, MESSAGES, RATE,
                    RECONNECT_DELAY)) {
                run.keepProducing(true); // until the failback has been seen through
                run.start(Map.of("login", "any", "passcode", "any"), queue, Map.of());
                assertThat(run.consumer.connectedTo()).isEqualTo(consumerUrls.get(0));

                awaitUntil("2,000 consumed", Duration.ofSeconds(30), () -> run.consumedDistinct() >= 2_000);
                events.add(run.arm("kill -9 of the primary", true, true));
                pair.killPrimary();
                pair.awaitBackupActive();
                ClusterWorkload.Kill kill = events.get(0);
                kill.note("backup active", pair.seenAt(false, "ACTIVE"));
                awaitUntil("a delivery from the backup", Duration.ofSeconds(60), () -> kill.nextDeliveryNanos != 0);
                awaitUntil("both clients on the backup", Duration.ofSeconds(30),
                        () -> consumerUrls.get(1).equals(run.consumer.connectedTo())
                                && producerUrls.get(1).equals(run.producer.connectedTo()));

                events.add(run.arm("primary back (failback)", true, true));
                pair.restartPrimary();
                pair.awaitPrimaryActive();
                ClusterWorkload.Kill failback = events.get(1);
                failback.note("primary active", pair.seenAt(true, "ACTIVE"));
                awaitUntil("both clients back on the primary", Duration.ofSeconds(60),
                        () -> consumerUrls.get(0).equals(run.consumer.connectedTo())
                                && producerUrls.get(0).equals(run.producer.connectedTo()));
                assertThat(failback.consumerBackNanos).as("the consumer lost its backup connection and reconnected")
                        .isNotZero();
                pair.awaitBackupPassive();
                awaitUntil("a delivery from the primary again", Duration.ofSeconds(30),
                        () -> failback.nextDeliveryNanos != 0);
                run.keepProducing(false);

                awaitUntil("every message receipted and every receipted one consumed", Duration.ofSeconds(90),
                        run::settled);
                System.out.printf("ArtemisPairFailoverIT [consumer %s]: %s%n", consumerTransport, run.summary());
                ClusterReport.record("Artemis primary/backup (replication): consumer over " + consumerTransport
                        + ", producer over " + (consumerWs ? "TCP" : "WebSocket"), "kill -9 of the primary; "
                        + "then the primary restarted (failback: the clients follow it)", run, events);
                assertThat(run.receiptedNotConsumed()).as("receipted messages never consumed").isEmpty();
                // The target: reconnectDelay + 2 s from the primary's death, and from the backup closing the
                // clients' connections at failback, to the next delivery.
                assertThat(kill.nextDeliveryMillis()).as("ms from the kill to the next delivery")
                        .isBetween(0L, RECONNECT_DELAY + 2_000);
                long lostAt = Math.min(failback.consumerLostNanos, failback.producerLostNanos);
                assertThat((failback.nextDeliveryNanos - lostAt) / 1_000_000)
                        .as("ms from the backup closing the connections to the next delivery from the primary")
                        .isBetween(0L, RECONNECT_DELAY + 2_000);
                assertThat(run.receiptedCount()).isEqualTo(run.producedCount()).isGreaterThanOrEqualTo(MESSAGES);
            } finally {
                events.forEach(event -> System.out.println("  " + event.timeline())); // also when a wait failed
            }
        }
    }
}
