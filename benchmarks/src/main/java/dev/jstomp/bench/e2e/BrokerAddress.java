package dev.jstomp.bench.e2e;

/** Where the broker under test listens (STOMP over TCP and WebSocket on one port) and how to log in. */
public record BrokerAddress(String host, int port, String wsUrl, String login, String passcode) {

    public String tcpUrl() {
        return "tcp://" + host + ":" + port;
    }
}
