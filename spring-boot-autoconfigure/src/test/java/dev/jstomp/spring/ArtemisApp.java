package dev.jstomp.spring;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.handler.annotation.Header;

import dev.jstomp.StompMessage;

/** A Boot application with @StompListener methods, as a user writes one; the tests read what it received. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ArtemisApp.OrderListeners.class)
class ArtemisApp {

    /** The application's error handler: records each failure, then does what the default does. */
    @Bean
    RecordingErrorHandler recordingErrorHandler() {
        return new RecordingErrorHandler();
    }

    static class RecordingErrorHandler implements StompListenerErrorHandler {
        final BlockingQueue<StompListenerFailure> failures = new LinkedBlockingQueue<>();
        private final StompListenerErrorHandler standard = new dev.jstomp.spring.internal.LoggingErrorHandler();

        @Override
        public void handle(StompListenerFailure failure) {
            failures.add(failure);
            standard.handle(failure);
        }
    }

    /** What one listener call saw. */
    record Received(Order order, String priority, String messageId, String destination) {
    }

    static class OrderListeners {
        final BlockingQueue<Received> orders = new LinkedBlockingQueue<>();
        final BlockingQueue<List<Order>> batches = new LinkedBlockingQueue<>();
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

        @StompListener(destination = "${test.orders}", headers = "ack=client-individual")
        void onOrder(@Header("priority") String priority, Order order, StompMessage message) {
            orders.add(new Received(order, priority, message.header("message-id"), message.header("destination")));
        }

        @StompListener(destination = "${test.batches}")
        void onBatch(List<Order> batch) {
            batches.add(batch);
        }

        final Set<String> textSubscriptions = ConcurrentHashMap.newKeySet();

        @StompListener(destination = "${test.texts}", concurrency = "#{1 + 1}")
        void onText(String text, StompMessage message) {
            textSubscriptions.add(String.valueOf(message.header("subscription")));
            texts.add(text);
        }
    }
}
