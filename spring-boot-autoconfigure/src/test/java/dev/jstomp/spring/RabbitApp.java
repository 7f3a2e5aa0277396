package dev.jstomp.spring;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.jstomp.StompMessage;

/**
 * A Boot application against RabbitMQ: the seed's fanout listener, a listener that fails the first delivery
 * of each message, a JSON listener, and the passcode from a {@link StompConnectHeaders} bean (as an OAuth2
 * token would come), not from the properties.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(RabbitApp.Listeners.class)
class RabbitApp {

    @Bean
    StompConnectHeaders freshPasscode() {
        return () -> Map.of("passcode", Brokers.RABBITMQ_PASSWORD);
    }

    static class Listeners {
        final BlockingQueue<String> demands = new LinkedBlockingQueue<>();
        final BlockingQueue<String> deliveries = new LinkedBlockingQueue<>();
        final BlockingQueue<Order> orders = new LinkedBlockingQueue<>();
        private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

        @StompListener("/exchange/${test.exchange}")
        void onDemand(String demand) {
            demands.add(demand);
        }

        @StompListener(destination = "/queue/${test.flaky}", headers = {"ack=client-individual", "prefetch-count=1"})
        void onFlaky(String body, StompMessage message) {
            deliveries.add(body + " redelivered=" + message.header("redelivered"));
            if (failedOnce.add(body)) {
                throw new IllegalStateException("first delivery of " + body + " fails");
            }
        }

        @StompListener(destination = "/queue/${test.orders}", headers = "ack=client")
        void onOrder(Order order) {
            orders.add(order);
        }
    }
}
