package dev.jstomp.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.stomp.StompClient;
import io.vertx.ext.stomp.StompClientConnection;
import io.vertx.ext.stomp.StompClientOptions;
import io.vertx.ext.stomp.impl.StompClientConnectionImpl;

/**
 * Vert.x's STOMP client (TCP only; it has no WebSocket client), with heart-beats off (see {@link #options()}).
 * Two ways to send:
 * <ul>
 *   <li>{@code public}: {@code connection.send(destination, buffer)}, its public API, which always asks for a
 *       receipt (a UUID header and a pending-receipt entry per message) and returns a future;</li>
 *   <li>{@code noreceipt}: {@code StompClientConnectionImpl.send(destination, headers, buffer, null)}, a public
 *       method of the implementation class, reached by a cast: the same frame without a receipt.</li>
 * </ul>
 */
final class VertxWorkload implements Workload {

    private final BrokerAddress broker;
    private final boolean receipts;
    private Vertx vertx;
    private StompClientConnection producer;
    private StompClientConnectionImpl producerImpl;
    private final List<StompClientConnection> connections = new ArrayList<>();
    // Held for the run: Vert.x 5 shuts a client's NetClient down once the client is garbage-collected, and its
    // connections then DISCONNECT on their own (the "cannot finish 100,000 messages" of earlier runs).
    private final List<StompClient> clients = new ArrayList<>();
    private String destination;

    VertxWorkload(BrokerAddress broker, boolean receipts) {
        this.broker = broker;
        this.receipts = receipts;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumers) throws Exception {
        this.destination = destination;
        vertx = Vertx.vertx();
        for (int i = 0; i < consumers; i++) {
            await(connect().subscribe(destination, frame -> inbox.hit()));
        }
        producer = connect();
        producerImpl = (StompClientConnectionImpl) producer;
    }

    private StompClientConnection connect() throws Exception {
        StompClient client = StompClient.create(vertx, options());
        clients.add(client);
        StompClientConnection connection = await(client.connect());
        connections.add(connection);
        return connection;
    }

    private StompClientOptions options() {
        // Heart-beats off, as for raw Spring: with Vert.x's default (1 s both ways) its connections are closed
        // for a missed beat within seconds of a 100,000-message flood on this machine, and the run stalls.
        return new StompClientOptions().setHost(broker.host()).setPort(broker.port())
                .setLogin(broker.login()).setPasscode(broker.passcode())
                .setHeartbeat(new JsonObject().put("x", 0).put("y", 0));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void send(byte[] body) {
        if (receipts) {
            producer.send(destination, Buffer.buffer(body));
        } else {
            producerImpl.send(destination, null, Buffer.buffer(body), null);
        }
    }

    @Override
    public void close() {
        for (StompClientConnection c : connections) {
            if (c != null) {
                try {
                    c.disconnect().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
        for (StompClient client : clients) {
            client.close();
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // daemon threads; the run goes on
            }
        }
    }
}
