package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;

/** Heart-beats negotiated per the STOMP rules, and flowing both ways on an idle connection. */
class HeartbeatIT {

    @RegisterExtension
    static final ArtemisExtension broker = new ArtemisExtension();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void beatsFlowBothWaysWhenIdle(Transport transport) throws Exception {
        List<String> debug = new CopyOnWriteArrayList<>();
        try (StompClient client = transport.client(broker)) {
            client.heartbeat().outgoing(400).incoming(400);
            client.debug(debug::add);
            StompFrame connected = client.connectAsync(Map.of("login", broker.user(), "passcode", broker.password()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(debug.get(0)).contains("heart-beat:400,400");
            String[] server = connected.header("heart-beat").split(",");
            long serverSends = Long.parseLong(server[0]);
            long serverWants = Long.parseLong(server[1]);
            assertThat(serverSends).as("Artemis offers beats").isPositive();
            assertThat(serverWants).as("Artemis wants beats").isPositive();

            // Idle for a while: both directions must beat, and the connection must stay up.
            await().atMost(Duration.ofSeconds(15)).until(() -> count(debug, ">>> PING") >= 3 && count(debug, "<<< PONG") >= 3);
            assertThat(client.connected()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void zeroTurnsBeatsOff(Transport transport) throws Exception {
        List<String> debug = new CopyOnWriteArrayList<>();
        try (StompClient client = transport.client(broker)) {
            client.heartbeat().outgoing(0).incoming(0);
            client.debug(debug::add);
            client.connectAsync(Map.of("login", broker.user(), "passcode", broker.password())).get(10, TimeUnit.SECONDS);
            assertThat(debug.get(0)).contains("heart-beat:0,0");
            // A round trip takes longer than a beat would have: still no PING went out.
            String destination = transport.queue("no-beats");
            List<String> bodies = new CopyOnWriteArrayList<>();
            client.subscribe(destination, m -> bodies.add(m.body()));
            client.send(destination, Map.of(), "x");
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
            assertThat(count(debug, ">>> PING")).isZero();
        }
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }
}
