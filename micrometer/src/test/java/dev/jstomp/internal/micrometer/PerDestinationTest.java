package dev.jstomp.internal.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PerDestinationTest {

    @Test
    void derivesOncePerBrokerAndDestination() {
        List<String> derived = new ArrayList<>();
        PerDestination<String> cache = new PerDestination<>((broker, destination) -> {
            derived.add(broker + " " + destination);
            return "send " + destination + " @ " + broker;
        });

        assertThat(cache.get("a:1", "/queue/x")).isEqualTo("send /queue/x @ a:1");
        assertThat(cache.get("a:1", "/queue/x")).isSameAs(cache.get("a:1", "/queue/x"));
        assertThat(cache.get("b:2", "/queue/x")).isEqualTo("send /queue/x @ b:2");
        assertThat(cache.get("a:1", "/queue/y")).isEqualTo("send /queue/y @ a:1");

        assertThat(derived).containsExactly("a:1 /queue/x", "b:2 /queue/x", "a:1 /queue/y");
    }

    @Test
    void pastTheBoundDerivesEachTimeAndStaysCorrect() {
        int[] calls = {0};
        PerDestination<String> cache = new PerDestination<>((broker, destination) -> {
            calls[0]++;
            return destination;
        });
        for (int i = 0; i < PerDestination.MAX_PER_BROKER; i++) {
            cache.get("a:1", "/topic/user." + i);
        }
        assertThat(calls[0]).isEqualTo(PerDestination.MAX_PER_BROKER);

        // One more destination than the bound: not remembered, so asked twice it is derived twice, correctly.
        assertThat(cache.get("a:1", "/topic/one-too-many")).isEqualTo("/topic/one-too-many");
        assertThat(cache.get("a:1", "/topic/one-too-many")).isEqualTo("/topic/one-too-many");
        assertThat(calls[0]).isEqualTo(PerDestination.MAX_PER_BROKER + 2);
        // The remembered ones still are.
        cache.get("a:1", "/topic/user.7");
        assertThat(calls[0]).isEqualTo(PerDestination.MAX_PER_BROKER + 2);
    }
}
