package dev.jstomp.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;

/**
 * SUBSCRIBE with a receipt, waited for: once it returns, the broker has made the subscription (bound the
 * queue, registered the consumer), so a message published from anywhere reaches it.
 */
final class Receipts {

    private static final AtomicLong IDS = new AtomicLong();

    private Receipts() {
    }

    static Subscription subscribe(StompClient client, String destination, Consumer<StompMessage> callback,
            Map<String, String> headers) throws Exception {
        String receipt = "subscribed-" + IDS.incrementAndGet();
        var confirmed = client.watchForReceipt(receipt);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("receipt", receipt);
        Subscription subscription = client.subscribe(destination, callback, all);
        confirmed.get(Timeouts.WAIT.toSeconds(), TimeUnit.SECONDS);
        return subscription;
    }

    static Subscription subscribe(StompClient client, String destination, Consumer<StompMessage> callback)
            throws Exception {
        return subscribe(client, destination, callback, Map.of());
    }
}
