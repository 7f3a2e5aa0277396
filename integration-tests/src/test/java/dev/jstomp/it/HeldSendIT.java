package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompFrame;
import dev.jstomp.it.FaultKit.Recording;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * Sends while RECONNECTING are held within {@code heldSendLimit}: past it {@code send} throws at once; held
 * frames go out in order after the reconnect (a held receipt completes); on {@code close()},
 * {@code disconnect()} or when reconnecting gives up they are handed to {@code onUnsent} and held receipts
 * fail. The broker stays up; a proxy refuses connections to keep the client reconnecting.
 */
class HeldSendIT {

    private static final int MIB = 1024 * 1024;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void pastTheCountBoundSendThrowsAtOnceAndHeldSendsGoOutInOrderAfterTheReconnect(Wire wire) throws Exception {
        String queue = wire.queue("held");
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient observer = wire.client(broker);
                StompClient client = wire.client(proxy)) {
            observer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            observer.subscribe(queue, m -> bodies.add(m.body()));
            client.reconnectDelay(100).reconnectMaxDelay(200).heldSendLimit(3, MIB);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            reconnectingUntilReleased(proxy, client);

            client.send(queue, Map.of(), "held-1");
            CompletableFuture<StompFrame> receipt = client.sendWithReceipt(queue, Map.of(), "held-2");
            client.send(queue, Map.of(), "held-3");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.send(queue, Map.of(), "refused-4"))
                    .isInstanceOf(StompConnectionException.class)
                    .hasMessageContaining("heldSendLimit").hasMessageContaining("3 messages");
            long thrownAfterMicros = (System.nanoTime() - t0) / 1_000;
            assertThat(thrownAfterMicros).as("thrown at once (µs)").isLessThan(100_000);
            assertThat(receipt).isNotDone();

            proxy.refuse(false);
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            assertThat(receipt.get(10, TimeUnit.SECONDS).command()).isEqualTo("RECEIPT");
            client.send(queue, Map.of(), "after");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 4);
            assertThat(bodies).containsExactly("held-1", "held-2", "held-3", "after");
            System.out.printf("HeldSendIT %s: the 4th send threw after %d µs%n", wire, thrownAfterMicros);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void pastTheByteBoundSendThrowsAtOnce(Wire wire) throws Exception {
        String queue = wire.queue("held-bytes");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = wire.client(proxy)) {
            client.reconnectDelay(100).reconnectMaxDelay(200).heldSendLimit(3, MIB);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            reconnectingUntilReleased(proxy, client);

            client.send(queue, Map.of(), new byte[MIB - 10]);
            assertThatThrownBy(() -> client.send(queue, Map.of(), new byte[11]))
                    .isInstanceOf(StompConnectionException.class).hasMessageContaining("heldSendLimit");
            CompletableFuture<StompFrame> tooBig = client.sendWithReceipt(queue, Map.of(), new byte[11]);
            assertThatThrownBy(() -> tooBig.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StompConnectionException.class).hasMessageContaining("heldSendLimit");
            client.send(queue, Map.of(), new byte[10]); // exactly at the bound
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void closeWhileReconnectingHandsHeldFramesToOnUnsentAndFailsHeldReceipts(Wire wire) throws Exception {
        String queue = wire.queue("unsent");
        List<List<StompFrame>> unsent = new CopyOnWriteArrayList<>();
        Recording recording = new Recording();
        CompletableFuture<StompFrame> receipt;
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port())) {
            StompClient client = recording.attach(wire.client(proxy));
            client.reconnectDelay(100).reconnectMaxDelay(200).onUnsent(unsent::add);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            reconnectingUntilReleased(proxy, client);
            client.send(queue, Map.of("n", "1"), "one");
            receipt = client.sendWithReceipt(queue, Map.of("n", "2"), "two");
            client.send(queue, Map.of("n", "3"), new byte[] {0, 1, 2});

            long t0 = System.nanoTime();
            client.close();
            long closeMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("HeldSendIT %s: close() while reconnecting took %d ms%n", wire, closeMillis);
            assertThat(closeMillis).as("close() is bounded").isLessThan(3_000);
        }
        waitAtMost(Duration.ofSeconds(5)).until(() -> unsent.size() == 1);
        List<StompFrame> frames = unsent.get(0);
        assertThat(frames).extracting(StompFrame::command).containsOnly("SEND");
        assertThat(frames).extracting(frame -> frame.header("n")).containsExactly("1", "2", "3");
        assertThat(frames.get(0).body()).isEqualTo("one");
        assertThat(frames.get(2).binaryBody()).containsExactly(0, 1, 2);
        assertThat(frames).allSatisfy(frame -> assertThat(frame.header("destination")).isEqualTo(queue));
        assertThatThrownBy(() -> receipt.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StompConnectionException.class);
        assertThat(recording.stateList()).endsWith(ConnectionState.DISCONNECTED);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void givingUpAfterTheLastAttemptHandsHeldFramesToOnUnsent(Wire wire) throws Exception {
        List<List<StompFrame>> unsent = new CopyOnWriteArrayList<>();
        Recording recording = new Recording();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = recording.attach(wire.client(proxy))) {
            // A short connect timeout: over WebSocket a connection closed during the handshake is only noticed
            // at the timeout (see FaultIT).
            client.reconnectDelay(50).reconnectMaxDelay(100).reconnectMaxAttempts(3).onUnsent(unsent::add)
                    .connectTimeout(Duration.ofSeconds(1));
            client.connect(broker.connectHeaders(), frame -> { }, recording.onError());
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            reconnectingUntilReleased(proxy, client);
            client.send(wire.queue("given-up"), Map.of(), "never sent");
            CompletableFuture<StompFrame> receipt = client.sendWithReceipt(wire.queue("given-up"), Map.of(), "nor this");

            waitAtMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.DISCONNECTED);
            waitAtMost(Duration.ofSeconds(5)).until(() -> unsent.size() == 1);
            assertThat(unsent.get(0)).extracting(StompFrame::body).containsExactly("never sent", "nor this");
            assertThatThrownBy(() -> receipt.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StompConnectionException.class);
            assertThat(proxy.connections()).as("first connection + 3 attempts").isEqualTo(4);
            assertThat(recording.stateList()).endsWith(ConnectionState.RECONNECTING, ConnectionState.DISCONNECTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void subscribeAndUnsubscribeWhileReconnectingTakeEffectOnTheReconnect(Wire wire) throws Exception {
        String kept = wire.queue("subscribed-while-reconnecting");
        String dropped = wire.queue("unsubscribed-while-reconnecting");
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient observer = wire.client(broker);
                StompClient client = wire.client(proxy)) {
            observer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            client.reconnectDelay(100).reconnectMaxDelay(200);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            client.subscribe(dropped, m -> bodies.add("dropped: " + m.body()), Map.of("id", "dropped"));
            reconnectingUntilReleased(proxy, client);
            client.subscribe(kept, m -> bodies.add(m.body()), Map.of("id", "late"));
            client.unsubscribe("dropped");
            proxy.refuse(false);
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            // Through the client's own connection, after its SUBSCRIBE frames: the broker has them by then.
            client.sendWithReceipt(kept, Map.of(), "to the late subscription").get(10, TimeUnit.SECONDS);
            client.sendWithReceipt(dropped, Map.of(), "to nobody").get(10, TimeUnit.SECONDS);
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.contains("to the late subscription"));
            observer.subscribe(dropped, m -> bodies.add("observer: " + m.body()));
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.contains("observer: to nobody"));
            assertThat(bodies).doesNotContain("dropped: to nobody");
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void disconnectWhileReconnectingHandsHeldFramesOverAndTheClientCanConnectAgain(Wire wire) throws Exception {
        List<List<StompFrame>> unsent = new CopyOnWriteArrayList<>();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = wire.client(proxy)) {
            client.reconnectDelay(100).reconnectMaxDelay(200).onUnsent(unsent::add);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            reconnectingUntilReleased(proxy, client);
            client.send(wire.queue("disconnected"), Map.of(), "held");
            client.disconnectAsync().get(5, TimeUnit.SECONDS);
            assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
            waitAtMost(Duration.ofSeconds(5)).until(() -> unsent.size() == 1);
            assertThat(unsent.get(0)).extracting(StompFrame::body).containsExactly("held");
            int attempts = proxy.connections();
            waitAtMost(Duration.ofSeconds(1)).pollDelay(Duration.ofMillis(500))
                    .until(() -> proxy.connections() == attempts); // reconnecting stopped at once

            proxy.refuse(false);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            assertThat(client.connected()).isTrue();
        }
    }

    /**
     * With reconnect on, a send made as the connection is lost must be held (or fail its receipt), not throw:
     * the client has not yet said it is RECONNECTING, and a producer that resends on a failed receipt does
     * exactly this. Here a producer sends one message at a time with a receipt while the proxy cuts the
     * connection a few times.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void sendsAtTheMomentOfALossAreHeldNotRefused(Wire wire) throws Exception {
        String queue = wire.queue("loss-moment");
        List<Throwable> refused = new CopyOnWriteArrayList<>();
        List<Throwable> receiptFailures = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        int cuts = 20;
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = wire.client(proxy)) {
            client.reconnectDelay(50).reconnectMaxDelay(100);
            client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            CompletableFuture<Integer> producer = CompletableFuture.supplyAsync(() -> {
                int sent = 0;
                while (!stop.get()) {
                    try {
                        client.sendWithReceipt(queue, Map.of(), "m" + sent++).get(10, TimeUnit.SECONDS);
                    } catch (StompConnectionException e) {
                        refused.add(e);
                    } catch (ExecutionException e) {
                        receiptFailures.add(e.getCause());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
                return sent;
            });
            for (int i = 0; i < cuts; i++) {
                int before = proxy.connections();
                proxy.cutAll();
                waitAtMost(Duration.ofSeconds(10)).until(() -> proxy.connections() > before && client.connected());
            }
            stop.set(true);
            int sent = producer.get(20, TimeUnit.SECONDS);
            System.out.printf("HeldSendIT %s: %d sends over %d cuts: %d refused at once, %d receipts failed%n", wire,
                    sent, cuts, refused.size(), receiptFailures.size());
            assertThat(refused).as("sends that threw while reconnect was on and the buffer had room").isEmpty();
        }
    }

    /** Cuts the client's connection and refuses new ones, so the client stays RECONNECTING until refuse(false). */
    private static void reconnectingUntilReleased(FaultInjectingProxy proxy, StompClient client) {
        proxy.refuse(true);
        proxy.cutAll();
        waitAtMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
    }
}
