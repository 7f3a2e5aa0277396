package dev.jstomp.sample;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.jstomp.StompException;
import dev.jstomp.spring.StompTemplate;

/** Publishes a demand every {@code demand.publish-every}, as JSON, through the StompTemplate. */
@Component
public class DemandPublisher {

    private static final Logger log = LoggerFactory.getLogger(DemandPublisher.class);
    private static final List<String> ITEMS = List.of("bread", "milk", "tea", "apples");

    private final StompTemplate stomp;
    private final String destination;
    private final AtomicLong next = new AtomicLong();

    DemandPublisher(StompTemplate stomp, @Value("${demand.destination}") String destination) {
        this.stomp = stomp;
        this.destination = destination;
    }

    @Scheduled(fixedRateString = "${demand.publish-every}")
    void publish() {
        long id = next.incrementAndGet();
        try {
            // While the broker is away the client holds sends and delivers them once reconnected.
            stomp.send(destination, new Demand(id, ITEMS.get((int) (id % ITEMS.size())), 1 + (int) (id % 5)));
        } catch (StompException e) {
            log.warn("Demand {} not published: {}", id, e.getMessage());
        }
    }
}
