package dev.jstomp.it;

import dev.jstomp.Broker;

/**
 * The columns of the compatibility table: every broker over every transport it offers. ActiveMQ Classic
 * has no WebSocket column because Debian's build ships no WebSocket transport.
 */
enum Target {
    ARTEMIS_TCP(Broker.ARTEMIS, false, "Artemis TCP"),
    ARTEMIS_WS(Broker.ARTEMIS, true, "Artemis WebSocket"),
    RABBITMQ_TCP(Broker.RABBITMQ, false, "RabbitMQ TCP"),
    RABBITMQ_WS(Broker.RABBITMQ, true, "RabbitMQ Web-STOMP"),
    CLASSIC_TCP(Broker.ACTIVEMQ_CLASSIC, false, "Classic TCP");

    final Broker broker;
    final boolean webSocket;
    final String label;

    Target(Broker broker, boolean webSocket, String label) {
        this.broker = broker;
        this.webSocket = webSocket;
        this.label = label;
    }
}
