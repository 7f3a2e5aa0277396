package dev.jstomp;

import java.util.Objects;

/**
 * RabbitMQ's STOMP destinations, so nobody has to look up which prefix does what. Each method returns a
 * plain destination string for {@code send} and {@code subscribe}.
 *
 * <p>RabbitMQ splits a destination at {@code /}; a name that contains one is written with {@code %2F},
 * which RabbitMQ decodes back. Other brokers read these strings as ordinary names.
 *
 * <pre>{@code
 * client.subscribe(Destinations.rabbitExchange("logs"), message -> ...);          // every message of a fanout
 * client.send(Destinations.rabbitExchange("events", "order.created"), Map.of(), "{...}");
 * }</pre>
 */
public final class Destinations {

    private Destinations() {
    }

    /**
     * {@code /exchange/NAME}: on SUBSCRIBE, RabbitMQ binds an exclusive, auto-deleted queue to the existing
     * exchange (with an empty binding key; fanout exchanges ignore keys), so the subscriber gets every
     * message routed from the moment it subscribes. On SEND, publishes with an empty routing key. The
     * exchange must exist; RabbitMQ answers ERROR otherwise.
     *
     * @param exchange the exchange name, for example {@code "amq.fanout"}
     * @return {@code /exchange/exchange}
     */
    public static String rabbitExchange(String exchange) {
        return "/exchange/" + segment(exchange, "exchange");
    }

    /**
     * {@code /exchange/NAME/KEY}: on SUBSCRIBE, the queue RabbitMQ creates is bound with {@code key} as the
     * binding pattern (for a topic exchange {@code *} matches one word and {@code #} any number); on SEND,
     * {@code key} is the routing key.
     *
     * @param exchange the exchange name
     * @param key the routing key (SEND) or binding pattern (SUBSCRIBE)
     * @return {@code /exchange/exchange/key}
     */
    public static String rabbitExchange(String exchange, String key) {
        return rabbitExchange(exchange) + "/" + segment(key, "key");
    }

    /**
     * {@code /queue/NAME}: a queue RabbitMQ's STOMP plugin declares on first use (durable, shared, not
     * auto-deleted), sent to through the default exchange. Consumers of one queue share its messages.
     *
     * @param queue the queue name
     * @return {@code /queue/queue}
     */
    public static String rabbitQueue(String queue) {
        return "/queue/" + segment(queue, "queue");
    }

    /**
     * {@code /amq/queue/NAME}: a queue that already exists, declared by someone else (AMQP, a policy, the
     * management UI). RabbitMQ does not declare it; subscribing to a missing one gets an ERROR frame
     * ({@code not_found}).
     *
     * @param queue the existing queue's name
     * @return {@code /amq/queue/queue}
     */
    public static String rabbitAmqQueue(String queue) {
        return "/amq/queue/" + segment(queue, "queue");
    }

    /**
     * {@code /topic/KEY}: routes through the {@code amq.topic} exchange. On SEND, {@code key} is the routing
     * key; on SUBSCRIBE it is the binding pattern ({@code *} one word, {@code #} any number), and every
     * subscriber gets its own queue, so each gets every matching message.
     *
     * @param key routing key or pattern, words separated by {@code .}
     * @return {@code /topic/key}
     */
    public static String rabbitTopic(String key) {
        return "/topic/" + segment(key, "key");
    }

    /**
     * {@code /temp-queue/NAME}, for the {@code reply-to} header of a SEND only: RabbitMQ creates an
     * exclusive queue for this connection, rewrites {@code reply-to} to its real address, and delivers
     * replies with {@code subscription} set to this destination (there is no SUBSCRIBE: RabbitMQ refuses one
     * to {@code /temp-queue/}).
     *
     * @param name a name unique within the connection, for example {@code "replies"}
     * @return {@code /temp-queue/name}
     */
    public static String rabbitTempQueue(String name) {
        return "/temp-queue/" + segment(name, "name");
    }

    private static String segment(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("The " + what + " must not be empty");
        }
        return value.replace("/", "%2F");
    }
}
