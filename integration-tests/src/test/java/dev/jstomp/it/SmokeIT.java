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

class SmokeIT {

    @RegisterExtension
    static final ArtemisExtension broker = new ArtemisExtension();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void roundTrip(Transport transport) throws Exception {
        List<String> debug = new CopyOnWriteArrayList<>();
        try (StompClient client = transport.client(broker)) {
            client.debug(debug::add);
            StompFrame connected = client.connectAsync(Map.of("login", broker.user(), "passcode", broker.password()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(connected.header("version")).isEqualTo("1.2");
            List<String> bodies = new CopyOnWriteArrayList<>();
            client.subscribe("/queue/smoke-" + transport, m -> bodies.add(m.body()));
            client.send("/queue/smoke-" + transport, Map.of("x", "a:b\nc"), "hello");
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
            assertThat(bodies).containsExactly("hello");
        }
        debug.forEach(System.out::println);
    }
}
