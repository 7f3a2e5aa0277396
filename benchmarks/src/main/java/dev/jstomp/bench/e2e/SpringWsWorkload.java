package dev.jstomp.bench.e2e;

import java.lang.reflect.Type;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Raw Spring over WebSocket: {@code WebSocketStompClient} on {@code StandardWebSocketClient} (Tyrus, found
 * through the JSR 356 {@code ContainerProvider}), {@code session.send(destination, byte[])}, no heart-beats.
 * The inbound size limit is raised from Spring's 64 KiB so the 1 MiB runs can be received at all.
 */
final class SpringWsWorkload implements Workload {

    private final BrokerAddress broker;
    private WebSocketStompClient client;
    private final List<StompSession> sessions = new ArrayList<>();
    private StompSession producer;
    private String destination;

    SpringWsWorkload(BrokerAddress broker) {
        this.broker = broker;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumers) throws Exception {
        this.destination = destination;
        client = new WebSocketStompClient(new StandardWebSocketClient());
        client.setDefaultHeartbeat(new long[] {0, 0});
        client.setInboundMessageSizeLimit(32 * 1024 * 1024);
        for (int i = 0; i < consumers; i++) {
            subscribe(connect(), destination, inbox);
        }
        producer = connect();
    }

    private static void subscribe(StompSession consumer, String destination, Inbox inbox) {
        consumer.subscribe(destination, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return byte[].class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                inbox.hit();
            }
        });
    }

    private StompSession connect() throws Exception {
        WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
        handshake.setSecWebSocketProtocol(List.of("v12.stomp"));
        StompHeaders headers = new StompHeaders();
        headers.setLogin(broker.login());
        headers.setPasscode(broker.passcode());
        StompSession session = client.connectAsync(URI.create(broker.wsUrl()), handshake, headers,
                new StompSessionHandlerAdapter() { }).get(20, TimeUnit.SECONDS);
        sessions.add(session);
        return session;
    }

    @Override
    public void send(byte[] body) {
        producer.send(destination, body);
    }

    @Override
    public void close() {
        for (StompSession s : sessions) {
            if (s != null) {
                try {
                    s.disconnect();
                } catch (RuntimeException ignored) {
                    // closing anyway
                }
            }
        }
        if (client != null) {
            client.stop();
        }
    }
}
