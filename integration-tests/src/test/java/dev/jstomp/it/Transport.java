package dev.jstomp.it;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.broker.EmbeddedArtemis;

/** The transports every behaviour test runs over, against one embedded Artemis. */
enum Transport {
    TCP, WEBSOCKET;

    /** A new, unconnected client for this transport. */
    StompClient client(EmbeddedArtemis broker) {
        return this == TCP ? Stomp.overTCP(broker.tcpHost(), broker.port()) : Stomp.client(broker.wsUrl());
    }

    /** A client connected with the broker's credentials (fails the test after 10 s). */
    StompClient connected(EmbeddedArtemis broker) throws Exception {
        StompClient client = client(broker);
        client.connectAsync(Map.of("login", broker.user(), "passcode", broker.password())).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** A destination name unique to the test and transport, so tests never see each other's messages. */
    String queue(String name) {
        return "/queue/" + name + "-" + name().toLowerCase() + "-" + System.nanoTime();
    }
}
