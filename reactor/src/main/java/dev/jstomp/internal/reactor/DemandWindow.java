package dev.jstomp.internal.reactor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.jstomp.Broker;

/**
 * How a subscriber's first {@code request(n)} becomes the broker's own limit on unacknowledged messages, in
 * the SUBSCRIBE headers: the window is {@code min(n, limit)} messages. With client acks the broker then
 * never has more than the window unacknowledged at the client; what is read and not yet requested is at
 * most the window. {@code ack: auto} has no broker limit (nothing is unacknowledged), so no header is added.
 *
 * <ul>
 *   <li>RabbitMQ: {@code prefetch-count} = window.</li>
 *   <li>ActiveMQ Classic: {@code activemq.prefetchSize} = window.</li>
 *   <li>Artemis counts bytes ({@code consumer-window-size}) and sends while the window has room: 1 byte for
 *       a window of 1 (exactly one message at a time), else window x {@link #ARTEMIS_BYTES_PER_MESSAGE} bytes: a bound in bytes, not
 *       messages.</li>
 *   <li>Another broker: no header; reading pauses instead (the held messages count in the connection's
 *       inbound backlog).</li>
 * </ul>
 * A window header the caller set is left alone.
 */
public final class DemandWindow {

    /**
     * Bytes per message of window on Artemis. Artemis counts a message's body plus about 250 bytes and sends
     * while the window has room, so messages up to about 3.8 KiB of body come at least a window's worth at a
     * time (larger ones fewer), and small ones more: the bound is in bytes (128 KiB at the default cap of 32).
     */
    public static final int ARTEMIS_BYTES_PER_MESSAGE = 4096;

    private static final String[] WINDOW_HEADERS = {"prefetch-count", "activemq.prefetchSize", "consumer-window-size"};

    private DemandWindow() {
    }

    /** The window in messages for a first request of {@code requested} under {@code limit}. */
    public static int window(long requested, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        if (requested < 1) {
            throw new IllegalArgumentException("requested must be at least 1, not " + requested);
        }
        return (int) Math.min(requested, limit);
    }

    /** Whether the subscription acknowledges (client or client-individual); {@code ack} defaults to auto. */
    public static boolean clientAcks(Map<String, String> headers) {
        String mode = headers.getOrDefault("ack", "auto").toLowerCase(Locale.ROOT);
        return mode.equals("client") || mode.equals("client-individual");
    }

    /**
     * The SUBSCRIBE headers: {@code headers} plus the broker's window header, when the subscription
     * acknowledges, the broker is known and the caller set no window header of its own.
     */
    public static Map<String, String> subscribeHeaders(Map<String, String> headers, @Nullable Broker broker, int window) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        if (broker == null || !clientAcks(headers)) {
            return out;
        }
        for (String name : WINDOW_HEADERS) {
            if (headers.containsKey(name)) {
                return out;
            }
        }
        switch (broker) {
            case RABBITMQ -> out.put("prefetch-count", Integer.toString(window));
            case ACTIVEMQ_CLASSIC -> out.put("activemq.prefetchSize", Integer.toString(window));
            case ARTEMIS -> out.put("consumer-window-size",
                    Long.toString(window == 1 ? 1 : (long) window * ARTEMIS_BYTES_PER_MESSAGE));
        }
        return out;
    }

    /** The broker named by CONNECTED's {@code server} header ("RabbitMQ/3.10.8", "ActiveMQ-Artemis/2.55.0 ...",
     * "ActiveMQ/5.17.2"); null for another or none. */
    public static @Nullable Broker broker(@Nullable String server) {
        if (server == null) {
            return null;
        }
        String name = server.toLowerCase(Locale.ROOT);
        if (name.startsWith("rabbitmq")) {
            return Broker.RABBITMQ;
        }
        if (name.startsWith("activemq-artemis") || name.contains("artemis")) {
            return Broker.ARTEMIS;
        }
        if (name.startsWith("activemq")) {
            return Broker.ACTIVEMQ_CLASSIC;
        }
        return null;
    }
}
