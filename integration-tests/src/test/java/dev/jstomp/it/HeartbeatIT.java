package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;

import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;

/** Heart-beats negotiated per the STOMP rules, and flowing both ways on an idle connection. */
@DisplayName("Heart-beats")
class HeartbeatIT {

    private static final long OFFER = 1000; // small enough to see beats soon, large enough for a loaded CI box

    @MatrixTest("heart-beats flow both ways on an idle connection, as negotiated")
    void beatsFlowBothWaysWhenIdle(BrokerTarget target) throws Exception {
        DebugLog debug = new DebugLog();
        StompClient client = target.client();
        client.heartbeat().outgoing(OFFER).incoming(OFFER);
        client.debug(debug);
        StompFrame connected = client.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
        // The debug hook runs on its own lane: the CONNECT line may come just after the connect future.
        await().atMost(Duration.ofSeconds(5)).until(() -> !debug.lines.isEmpty());
        assertThat(debug.lines.get(0)).contains("heart-beat:" + OFFER + "," + OFFER);
        String answer = connected.header("heart-beat");
        assertThat(answer).as("the broker's heart-beat header").isNotNull();
        String[] server = answer.split(",");
        long serverSends = Long.parseLong(server[0].strip());
        long serverWants = Long.parseLong(server[1].strip());
        // The STOMP rule: each side beats at the larger of what one offers and the other wants.
        long clientBeats = serverWants > 0 ? Math.max(OFFER, serverWants) : 0;
        long brokerBeats = serverSends > 0 ? Math.max(serverSends, OFFER) : 0;
        Duration idle = Duration.ofMillis(4 * Math.max(clientBeats, brokerBeats) + 5_000);
        await().atMost(idle).until(() -> (clientBeats == 0 || debug.count(">>> PING") >= 3)
                && (brokerBeats == 0 || debug.count("<<< PONG") >= 3));
        assertThat(client.connected()).isTrue();
        if (clientBeats == 0 || brokerBeats == 0) {
            assertThat(debug.count(clientBeats == 0 ? ">>> PING" : "<<< PONG")).isZero();
            target.unsupported("answers heart-beat:" + answer + " to " + OFFER + "," + OFFER + ", so beats flow "
                    + (clientBeats == 0 ? "from the broker only" : "from the client only"));
        }
    }

    @MatrixTest("heart-beat 0,0 turns beats off")
    void zeroTurnsBeatsOff(BrokerTarget target) throws Exception {
        DebugLog debug = new DebugLog();
        StompClient client = target.client();
        client.heartbeat().outgoing(0).incoming(0);
        client.debug(debug);
        client.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !debug.lines.isEmpty());
        assertThat(debug.lines.get(0)).contains("heart-beat:0,0");
        // A round trip takes longer than a beat would have: still no PING went out.
        String destination = target.queue("no-beats");
        List<String> bodies = new CopyOnWriteArrayList<>();
        client.subscribe(destination, m -> bodies.add(m.body()));
        client.send(destination, Map.of(), "x");
        await().atMost(Timeouts.WAIT).until(() -> bodies.size() == 1);
        assertThat(debug.count(">>> PING")).isZero();
    }
}
