package dev.jstomp.sample;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.jstomp.spring.StompListener;

/** Logs every demand of the fanout; each running instance of the service gets all of them. */
@Component
public class DemandListener {

    private static final Logger log = LoggerFactory.getLogger(DemandListener.class);
    private final AtomicLong received = new AtomicLong();

    @StompListener("${demand.destination}")
    void onDemand(Demand demand) {
        received.incrementAndGet();
        log.info("Demand {}: {} x {}", demand.id(), demand.quantity(), demand.item());
    }

    /**
     * How many demands this instance has received.
     *
     * @return the count
     */
    public long received() {
        return received.get();
    }
}
