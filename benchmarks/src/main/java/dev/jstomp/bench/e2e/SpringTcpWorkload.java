package dev.jstomp.bench.e2e;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;

/**
 * Raw Spring over TCP: {@code ReactorNettyTcpStompClient} on a {@code ReactorNettyTcpClient} built as the
 * issue says, {@code session.send(destination, byte[])}, no heart-beats (Spring needs a scheduler for them).
 */
final class SpringTcpWorkload implements Workload {

    private final BrokerAddress broker;
    private final List<ReactorNettyTcpStompClient> clients = new ArrayList<>();
    private final List<StompSession> sessions = new ArrayList<>();
    private StompSession producer;
    private String destination;

    SpringTcpWorkload(BrokerAddress broker) {
        this.broker = broker;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumers) throws Exception {
        this.destination = destination;
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

    /** One Spring client (and so one Reactor Netty client) per connection, as a user with one session has. */
    private StompSession connect() throws Exception {
        ReactorNettyTcpStompClient client = new ReactorNettyTcpStompClient(
                new ReactorNettyTcpClient<>(broker.host(), broker.port(), new StompReactorNettyCodec()));
        client.setDefaultHeartbeat(new long[] {0, 0});
        clients.add(client);
        StompHeaders headers = new StompHeaders();
        headers.setLogin(broker.login());
        headers.setPasscode(broker.passcode());
        StompSession session = client.connectAsync(headers, new StompSessionHandlerAdapter() { })
                .get(20, TimeUnit.SECONDS);
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
        clients.forEach(ReactorNettyTcpStompClient::shutdown);
    }
}
