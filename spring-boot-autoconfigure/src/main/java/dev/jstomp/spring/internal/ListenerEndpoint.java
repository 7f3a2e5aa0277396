package dev.jstomp.spring.internal;

import java.util.Map;

/**
 * One {@code @StompListener} method, its annotation resolved: what to subscribe to, with which headers,
 * how many times, and what to call.
 */
record ListenerEndpoint(String id, String destination, Map<String, String> headers, boolean autoStartup,
        int concurrency, ListenerMethodInvoker invoker) {

    /** Whether the subscription acknowledges by hand, so each message needs an ACK or a NACK. */
    boolean clientAck() {
        String ack = headers.get("ack");
        return "client".equals(ack) || "client-individual".equals(ack);
    }
}
