package dev.jstomp.bench.e2e;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/** Raw Spring over WebSocket: {@code WebSocketStompClient} on {@code StandardWebSocketClient} (Tyrus). */
final class SpringWsWorkload extends SpringWorkload {

    private WebSocketStompClient client;

    SpringWsWorkload(BrokerAddress broker) {
        super(broker);
    }

    @Override
    protected void prepare() {
        client = new WebSocketStompClient(new StandardWebSocketClient());
        client.setDefaultHeartbeat(new long[] {0, 0});
        client.setInboundMessageSizeLimit(32 * 1024 * 1024);
    }

    @Override
    protected StompSession connect() throws Exception {
        WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
        handshake.setSecWebSocketProtocol(List.of("v12.stomp"));
        return client.connectAsync(URI.create(broker.wsUrl()), handshake, credentials(),
                new StompSessionHandlerAdapter() { }).get(20, TimeUnit.SECONDS);
    }

    @Override
    protected void shutdown() {
        if (client != null) {
            client.stop();
        }
    }
}
