package dev.jstomp.it;

import dev.jstomp.broker.EmbeddedArtemis;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;

/** The transports a behaviour test runs over, against one embedded Artemis. */
enum Transport {
    TCP, WEBSOCKET;

    StompClient client(EmbeddedArtemis broker) {
        return this == TCP ? Stomp.overTCP(broker.tcpHost(), broker.port()) : Stomp.client(broker.wsUrl());
    }
}
