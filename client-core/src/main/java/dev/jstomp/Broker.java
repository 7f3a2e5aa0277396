package dev.jstomp;

/**
 * The brokers whose STOMP extensions jstomp knows, for helpers such as
 * {@link SubscribeHeaders#prefetch(Broker, int)} whose header depends on the broker at hand.
 */
public enum Broker {

    /** Apache ActiveMQ Artemis (STOMP over TCP and WebSocket on one acceptor). */
    ARTEMIS,

    /** RabbitMQ with its STOMP and Web-STOMP plugins. */
    RABBITMQ,

    /** Apache ActiveMQ Classic (5.x). */
    ACTIVEMQ_CLASSIC
}
