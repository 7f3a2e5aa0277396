package dev.jstomp.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.messaging.simp.stomp.ReactorNettyTcpStompClient;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;

/** Raw Spring over TCP: {@code ReactorNettyTcpStompClient}, built as the issue says. */
final class SpringTcpWorkload extends SpringWorkload {

    private final List<ReactorNettyTcpStompClient> clients = new ArrayList<>();

    SpringTcpWorkload(BrokerAddress broker) {
        super(broker);
    }

    /** One Spring client (and so one Reactor Netty client) per connection, as a user with one session has. */
    @Override
    protected StompSession connect() throws Exception {
        ReactorNettyTcpStompClient client = new ReactorNettyTcpStompClient(
                new ReactorNettyTcpClient<>(broker.host(), broker.port(), new StompReactorNettyCodec()));
        client.setDefaultHeartbeat(new long[] {0, 0});
        clients.add(client);
        return client.connectAsync(credentials(), new StompSessionHandlerAdapter() { }).get(20, TimeUnit.SECONDS);
    }

    @Override
    protected void shutdown() {
        clients.forEach(ReactorNettyTcpStompClient::shutdown);
    }
}
