package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.it.FaultInjectingProxy.Direction;
import dev.jstomp.it.FaultKit.Recording;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * A broker that goes silent (a proxy that stops forwarding but keeps the socket open, as a dead network
 * path does): with 500 ms heart-beats the client hears "degraded" at 1.5 intervals of silence, declares
 * the connection dead at the tolerance (2 intervals) within a second more, and reconnects once the path
 * works again. A shorter stall only degrades the connection, and the signal clears.
 */
class DegradedIT {

    private static final long BEAT = 500;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void silentBrokerIsDetectedByHeartbeatsThenTheClientReconnects(Wire wire) throws Exception {
        Recording recording = new Recording();
        List<String> bodies = new CopyOnWriteArrayList<>();
        String destination = wire.queue("silent");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = recording.attach(wire.client(proxy))) {
            client.heartbeat().outgoing(BEAT).incoming(BEAT);
            client.reconnectDelay(100).reconnectMaxDelay(500).connectTimeout(Duration.ofSeconds(1));
            StompFrame connected = connect(client, recording);
            long interval = negotiatedIncoming(connected);
            client.subscribe(destination, m -> bodies.add(m.body()), Map.of("id", "kept"));
            client.send(destination, Map.of(), "before");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);

            long silentFrom = System.nanoTime();
            proxy.stopForwarding();
            long bound = 2 * interval + 1_000;
            waitAtMost(Duration.ofMillis(bound + 2_000)).until(() -> recording.firstState(ConnectionState.RECONNECTING, silentFrom) > 0);
            long deadAfter = (recording.firstState(ConnectionState.RECONNECTING, silentFrom) - silentFrom) / 1_000_000;
            long degradedAfter = recording.degraded.isEmpty() ? -1 : recording.degraded.get(0).millisAfter(silentFrom);
            System.out.printf("DegradedIT %s: interval %d ms; degraded heard %d ms and dead declared %d ms after the"
                    + " broker went silent (bound %d ms)%n", wire, interval, degradedAfter, deadAfter, bound);

            assertThat(deadAfter).as("dead declared within 2 x interval + 1 s").isLessThanOrEqualTo(bound);
            assertThat(recording.degradedList()).as("degraded heard before the connection was declared dead")
                    .startsWith(true);
            assertThat(recording.degraded.get(0).nanos()).isLessThan(recording.firstState(ConnectionState.RECONNECTING, silentFrom));
            assertThat(degradedAfter).as("not degraded before 1.5 intervals of silence (last beat <= 1 interval earlier)")
                    .isGreaterThanOrEqualTo(interval / 2);
            waitAtMost(Duration.ofSeconds(2)).until(() -> !recording.errors.isEmpty());
            assertThat(recording.errors.get(0).cause()).isInstanceOf(StompTimeoutException.class);
            assertThat(recording.errors.get(0).message()).contains("heart-beat", String.valueOf(proxy.port()));

            // Attempts made while the path is still dead are black-holed too, and time out.
            int before = proxy.connections();
            waitAtMost(Duration.ofSeconds(5)).until(() -> proxy.connections() > before);
            proxy.resumeForwarding();
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            client.send(destination, Map.of(), "after");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 2);
            assertThat(bodies).containsExactly("before", "after");
            assertThat(recording.stateList()).endsWith(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        }
    }

    /**
     * The degraded signal must not be left at {@code true} once the client is connected again, or an
     * application keeps showing "connection unstable" on a healthy connection.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void degradedSignalIsClearedAfterTheReconnect(Wire wire) throws Exception {
        Recording recording = new Recording();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = recording.attach(wire.client(proxy))) {
            client.heartbeat().outgoing(BEAT).incoming(BEAT);
            client.reconnectDelay(100).reconnectMaxDelay(500).connectTimeout(Duration.ofSeconds(1));
            connect(client, recording);
            proxy.stopForwarding();
            waitAtMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.RECONNECTING);
            proxy.resumeForwarding();
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            assertThat(recording.degradedList()).startsWith(true);

            waitAtMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(recording.degradedList()).as("the last degraded signal once connected again").endsWith(false));
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void stallShorterThanTheToleranceOnlyDegradesTheConnection(Wire wire) throws Exception {
        Recording recording = new Recording();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = recording.attach(wire.client(proxy))) {
            // Dead only after 4 intervals: a stall ended as soon as "degraded" is heard stays well inside it.
            client.heartbeat().outgoing(BEAT).incoming(BEAT).tolerance(4.0);
            client.reconnectDelay(100);
            connect(client, recording);

            long stalledFrom = System.nanoTime();
            proxy.stall(Direction.DOWNSTREAM);
            waitAtMost(Duration.ofSeconds(3)).until(() -> recording.degradedList().contains(true));
            long degradedAfter = recording.degraded.get(0).millisAfter(stalledFrom);
            proxy.unstall(Direction.DOWNSTREAM);
            waitAtMost(Duration.ofSeconds(3)).until(() -> recording.degradedList().equals(List.of(true, false)));
            long clearedAfter = recording.degraded.get(1).millisAfter(stalledFrom);
            System.out.printf("DegradedIT %s: stall: degraded heard after %d ms, cleared after %d ms%n", wire,
                    degradedAfter, clearedAfter);

            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(recording.errors).as("no error: the connection was never declared dead").isEmpty();
            assertThat(recording.stateList()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        }
    }

    private static StompFrame connect(StompClient client, Recording recording) throws Exception {
        java.util.concurrent.CompletableFuture<StompFrame> connected = new java.util.concurrent.CompletableFuture<>();
        client.connect(broker.connectHeaders(), connected::complete, recording.onError());
        return connected.get(10, TimeUnit.SECONDS);
    }

    /** max(our incoming, the broker's outgoing), as STOMP negotiates. */
    private static long negotiatedIncoming(StompFrame connected) {
        String header = connected.header("heart-beat");
        assertThat(header).as("CONNECTED heart-beat").isNotNull();
        long brokerOutgoing = Long.parseLong(header.split(",")[0].trim());
        assertThat(brokerOutgoing).as("the broker sends heart-beats (heart-beat: " + header + ")").isPositive();
        return Math.max(BEAT, brokerOutgoing);
    }
}
