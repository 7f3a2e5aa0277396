package dev.jstomp;

import java.util.Map;
import java.util.Objects;

/**
 * SUBSCRIBE headers of the brokers' STOMP extensions, for {@link StompClient#subscribe(String,
 * java.util.function.Consumer, Map)}. Each method returns an immutable map; join it with your own headers
 * ({@code ack}, {@code id}) into one map.
 *
 * <pre>{@code
 * Map<String, String> headers = new HashMap<>(SubscribeHeaders.prefetch(Broker.RABBITMQ, 10));
 * headers.put("ack", "client-individual");
 * client.subscribe("/queue/work", message -> { ...; message.ack(); }, headers);
 * }</pre>
 */
public final class SubscribeHeaders {

    private SubscribeHeaders() {
    }

    /**
     * Limits how many unacknowledged messages the broker delivers ahead to this subscription (use with
     * {@code ack: client} or {@code client-individual}):
     * <ul>
     *   <li>RabbitMQ: {@code prefetch-count} (the channel's basic.qos; unlimited by default).</li>
     *   <li>ActiveMQ Classic: {@code activemq.prefetchSize} (messages; Classic's STOMP does not support 0).</li>
     *   <li>Artemis: its consumer window counts bytes, not messages ({@code consumer-window-size}), so only
     *       {@code messages = 1} has an exact equivalent: a window of 1 byte, which the first message
     *       exhausts until it is acknowledged. For more, size a window with {@link #consumerWindowSize(int)}.</li>
     * </ul>
     *
     * @param broker the broker at hand
     * @param messages at least 1
     * @return the header
     * @throws IllegalArgumentException for {@code messages < 1}, or {@code messages > 1} on Artemis
     */
    public static Map<String, String> prefetch(Broker broker, int messages) {
        Objects.requireNonNull(broker, "broker");
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be at least 1, not " + messages);
        }
        return switch (broker) {
            case RABBITMQ -> Map.of("prefetch-count", Integer.toString(messages));
            case ACTIVEMQ_CLASSIC -> Map.of("activemq.prefetchSize", Integer.toString(messages));
            case ARTEMIS -> {
                if (messages != 1) {
                    throw new IllegalArgumentException("Artemis limits a STOMP consumer by bytes, not messages: "
                            + "use SubscribeHeaders.consumerWindowSize(bytes), or prefetch(ARTEMIS, 1) for one at a time");
                }
                yield consumerWindowSize(1);
            }
        };
    }

    /**
     * Artemis's {@code consumer-window-size}: how many bytes of unacknowledged messages the broker sends
     * ahead to a subscription with client acknowledgement (its acceptor's default is 10,240 bytes; -1 means
     * unlimited). The broker sends while the window has room, so a message larger than what is left still
     * goes out, and 1 byte means one message at a time. Other brokers ignore the header.
     *
     * @param bytes the window in bytes; -1 for no limit
     * @return the header
     */
    public static Map<String, String> consumerWindowSize(int bytes) {
        if (bytes < -1) {
            throw new IllegalArgumentException("bytes must be -1 (no limit) or more, not " + bytes);
        }
        return Map.of("consumer-window-size", Integer.toString(bytes));
    }

    /**
     * A durable subscription to a topic: messages published while the subscriber is away are kept for it.
     * <ul>
     *   <li>Artemis: {@code durable-subscription-name}; CONNECT must carry a {@code client-id}, and the pair
     *       names the subscription.</li>
     *   <li>ActiveMQ Classic: {@code activemq.subscriptionName}; CONNECT must carry a {@code client-id}.</li>
     *   <li>RabbitMQ: {@code durable:true}, {@code auto-delete:false} and {@code x-queue-name}: a durable
     *       queue of that name, bound to the topic, that outlives the connection (no {@code client-id}).</li>
     * </ul>
     * Disconnecting keeps the subscription. Removing it for good is broker-specific: Artemis and Classic
     * expect an UNSUBSCRIBE carrying the same header (jstomp's {@code unsubscribe} sends only the id), and on
     * RabbitMQ the queue is deleted (AMQP, management).
     *
     * @param broker the broker at hand
     * @param name the subscription's name, stable across connections
     * @return the headers
     */
    public static Map<String, String> durable(Broker broker, String name) {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(name, "name");
        return switch (broker) {
            case ARTEMIS -> Map.of("durable-subscription-name", name);
            case ACTIVEMQ_CLASSIC -> Map.of("activemq.subscriptionName", name);
            case RABBITMQ -> Map.of("durable", "true", "auto-delete", "false", "x-queue-name", name);
        };
    }

    /**
     * A JMS message selector ({@code selector} header), such as {@code "color = 'red' AND size > 2"}, over
     * message headers: Artemis and ActiveMQ Classic deliver only matching messages. RabbitMQ has no
     * selectors and ignores the header (every message is delivered).
     *
     * @param expression the selector, in JMS (SQL 92 subset) syntax
     * @return the header
     */
    public static Map<String, String> selector(String expression) {
        return Map.of("selector", Objects.requireNonNull(expression, "expression"));
    }

    /**
     * Artemis's {@code subscription-type:ANYCAST}: subscribe to the address's shared (queue) semantics, where
     * subscribers take turns. Needed only for names the acceptor's {@code anycastPrefix} does not cover.
     * RabbitMQ and ActiveMQ Classic ignore the header.
     *
     * @return the header
     */
    public static Map<String, String> anycast() {
        return Map.of("subscription-type", "ANYCAST");
    }

    /**
     * Artemis's {@code subscription-type:MULTICAST}: the subscription gets its own copy of every message
     * (topic semantics). Needed only for names the acceptor's {@code multicastPrefix} does not cover.
     * RabbitMQ and ActiveMQ Classic ignore the header.
     *
     * @return the header
     */
    public static Map<String, String> multicast() {
        return Map.of("subscription-type", "MULTICAST");
    }
}
