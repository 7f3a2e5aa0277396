package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.broker.EmbeddedArtemis;

/**
 * jstomp.fail-fast=false: the application starts while the broker is down, keeps retrying, and its
 * listeners subscribe once the broker is there.
 */
class StartWithoutBrokerIT {

    static final EmbeddedArtemis BROKER = new EmbeddedArtemis();

    @AfterAll
    static void stop() {
        BROKER.close();
    }

    @Test
    void theApplicationStartsAndItsListenerSubscribesWhenTheBrokerComes() throws Exception {
        BROKER.start();
        BROKER.stop(); // a port of its own, with nothing listening on it yet
        String queue = "/queue/" + Brokers.unique("late");
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JstompAutoConfiguration.class))
                .withBean(LateListener.class)
                .withPropertyValues("jstomp.url=tcp://" + BROKER.tcpHost() + ":" + BROKER.port(),
                        "jstomp.login=" + BROKER.user(), "jstomp.passcode=" + BROKER.password(),
                        "jstomp.fail-fast=false", "jstomp.reconnect-delay=100ms", "jstomp.reconnect-max-delay=300ms",
                        "test.queue=" + queue)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    StompClient client = context.getBean(StompClient.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.RECONNECTING);

                    BROKER.start();
                    await().atMost(Duration.ofSeconds(15)).until(client::connected);
                    // The listener's SUBSCRIBE follows CONNECTED; a receipted send after it is on the same connection.
                    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                        context.getBean(StompTemplate.class).sendWithReceipt(queue, java.util.Map.of(), "hello")
                                .get(5, TimeUnit.SECONDS);
                        assertThat(context.getBean(LateListener.class).bodies.poll(500, TimeUnit.MILLISECONDS))
                                .isEqualTo("hello");
                    });
                });
    }

    static class LateListener {
        final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();

        @StompListener("${test.queue}")
        void onMessage(String body) {
            bodies.add(body);
        }
    }
}
