package dev.jstomp.it;

import java.util.concurrent.TimeUnit;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.test.EmbeddedStompBroker;

/** The transports every behaviour test runs over, against one embedded Artemis. */
enum Transport {
    TCP, WEBSOCKET;

    /** A new, unconnected client for this transport. */
    StompClient client(EmbeddedStompBroker broker) {
        return this == TCP ? Stomp.overTCP(broker.host(), broker.port()) : Stomp.client(broker.wsUrl());
    }

    /** A client connected with the broker's credentials (fails the test after 10 s). */
    StompClient connected(EmbeddedStompBroker broker) throws Exception {
        StompClient client = client(broker);
        client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** A destination name unique to the test and transport, so tests never see each other's messages. */
    String queue(String name) {
        return "/queue/" + name + "-" + name().toLowerCase() + "-" + System.nanoTime();
    }
}
