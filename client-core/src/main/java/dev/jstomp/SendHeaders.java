package dev.jstomp;

import java.util.Map;

/**
 * SEND headers of the brokers' STOMP extensions, for {@link StompClient#send(String, Map, String)}. Each
 * method returns an immutable map; join it with your own headers into one map.
 */
public final class SendHeaders {

    private SendHeaders() {
    }

    /**
     * {@code persistent:true}: a durable message. RabbitMQ publishes it persistent (delivery mode 2) and,
     * when the SEND also asks for a {@code receipt}, sends the RECEIPT only once the message is confirmed;
     * Artemis and ActiveMQ Classic store it durably (when the broker has persistence on).
     *
     * @return the header
     */
    public static Map<String, String> persistent() {
        return Map.of("persistent", "true");
    }

    /**
     * Artemis's {@code destination-type:ANYCAST}: route to the address's anycast queue (one consumer gets
     * each message). Needed only for names the acceptor's {@code anycastPrefix} does not cover. RabbitMQ and
     * ActiveMQ Classic ignore the header.
     *
     * @return the header
     */
    public static Map<String, String> anycast() {
        return Map.of("destination-type", "ANYCAST");
    }

    /**
     * Artemis's {@code destination-type:MULTICAST}: route to every subscription of the address. Needed only
     * for names the acceptor's {@code multicastPrefix} does not cover. RabbitMQ and ActiveMQ Classic ignore
     * the header.
     *
     * @return the header
     */
    public static Map<String, String> multicast() {
        return Map.of("destination-type", "MULTICAST");
    }
}
