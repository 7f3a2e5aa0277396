package dev.jstomp.internal.reactor;

import java.util.Map;

import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import reactor.core.publisher.Flux;

/** Makes {@code watch} Fluxes: cold, one STOMP subscription per Reactive Streams subscriber. */
public final class Watches {

    private Watches() {
    }

    /**
     * @param limit the most messages the broker may have unacknowledged at the client (the window's cap)
     */
    public static Flux<StompMessage> watch(StompClient client, String destination, Map<String, String> headers,
            int limit) {
        return Flux.from(subscriber -> subscriber.onSubscribe(
                new WatchSubscription(subscriber, client, destination, headers, limit)));
    }
}
