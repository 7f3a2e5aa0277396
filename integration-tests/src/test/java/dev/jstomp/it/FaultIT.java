package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompException;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import dev.jstomp.it.FaultInjectingProxy.ExitAt;
import dev.jstomp.it.FaultKit.Recording;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * A proxy cuts the connection at chosen protocol steps: while opening, before CONNECTED, right after
 * SUBSCRIBE, in the middle of a 1 MiB MESSAGE. Each gives a clear error through {@code errorCallback}
 * promptly (no waiting for a timeout), and with reconnect on the client recovers and its subscription works.
 */
class FaultIT {

    private static final int MIB = 1024 * 1024;
    /** Far above what any of these failures may take to be reported: a hang shows as a failure, not a pass. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long PROMPT_MILLIS = 3_000;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = "TCP")
    void connectionClosedAsSoonAsAcceptedFailsTheFirstConnectPromptly(Wire wire) throws Exception {
        closedOnAccept(wire);
    }
    @ParameterizedTest
    @EnumSource(value = Wire.class, names = "WEBSOCKET")
    @Disabled("known limitation, open: Tyrus's Grizzly client ignores a close that comes before the WebSocket "
            + "handshake completes, so the failure is reported at connectTimeout (with a message saying the handshake "
            + "did not complete) instead of at once; the standalone bundle has no other Tyrus container to switch to")
    void webSocketConnectionClosedDuringTheHandshakeFailsTheFirstConnectPromptly(Wire wire) throws Exception {
        closedOnAccept(wire);
    }

    private static void closedOnAccept(Wire wire) throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = wire.client(proxy)) {
            client.connectTimeout(CONNECT_TIMEOUT);
            proxy.refuse(true);
            long t0 = System.nanoTime();
            CompletableFuture<?> connecting = client.connectAsync(broker.connectHeaders());
            Throwable failure = failureOf(connecting);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("FaultIT %s: connection closed on accept reported after %d ms%n", wire, millis);

            assertThat(failure).isInstanceOf(StompConnectionException.class);
            assertThat(failure.getMessage()).contains(String.valueOf(proxy.port()));
            assertThat(millis).as("reported when the socket closed, not at the connect timeout")
                    .isLessThan(PROMPT_MILLIS);
            assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void cutBeforeConnectedFailsTheFirstConnectClearly(Wire wire) throws Exception {
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = wire.client(proxy)) {
            client.connectTimeout(CONNECT_TIMEOUT);
            proxy.exitAt(ExitAt.BEFORE_CONNECTED);
            long t0 = System.nanoTime();
            Throwable failure = failureOf(client.connectAsync(broker.connectHeaders()));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("FaultIT %s: cut before CONNECTED reported after %d ms: %s%n", wire, millis,
                    failure.getMessage());

            assertThat(proxy.armed()).as("the cut happened").isFalse();
            assertThat(failure).isInstanceOf(StompConnectionException.class);
            assertThat(failure.getMessage()).contains(String.valueOf(proxy.port())).containsAnyOf("closed", "lost");
            assertThat(millis).isLessThan(PROMPT_MILLIS);
            assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void cutBeforeConnectedIsRecoveredWithReconnectOn(Wire wire) throws Exception {
        Recording recording = new Recording();
        List<String> bodies = new CopyOnWriteArrayList<>();
        String queue = wire.queue("before-connected");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient client = recording.attach(wire.client(proxy))) {
            client.reconnectDelay(100).connectTimeout(CONNECT_TIMEOUT);
            proxy.exitAt(ExitAt.BEFORE_CONNECTED);
            CompletableFuture<Object> connected = new CompletableFuture<>();
            client.connect(broker.connectHeaders(), connected::complete, recording.onError());
            connected.get(PROMPT_MILLIS * 2, TimeUnit.MILLISECONDS);

            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(recording.errors).hasSize(1);
            assertClear(recording.errors.get(0), proxy);
            client.subscribe(queue, m -> bodies.add(m.body()));
            client.send(queue, Map.of(), "works");
            waitAtMost(Duration.ofSeconds(10)).until(() -> bodies.contains("works"));
            assertThat(recording.stateList()).containsExactly(ConnectionState.CONNECTING, ConnectionState.RECONNECTING,
                    ConnectionState.CONNECTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void cutRightAfterSubscribeIsRecoveredAndTheSubscriptionWorks(Wire wire) throws Exception {
        Recording recording = new Recording();
        List<StompMessage> messages = new CopyOnWriteArrayList<>();
        String queue = wire.queue("after-subscribe");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient observer = wire.client(broker);
                StompClient client = recording.attach(wire.client(proxy))) {
            observer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            client.reconnectDelay(100);
            client.connect(broker.connectHeaders(), frame -> { }, recording.onError());
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);

            proxy.exitAt(ExitAt.AFTER_SUBSCRIBE);
            Subscription subscription = client.subscribe(queue, message -> {
                messages.add(message);
                message.ack();
            }, Map.of("id", "kept", "ack", "client-individual"));
            waitAtMost(Duration.ofMillis(PROMPT_MILLIS)).until(() -> !recording.errors.isEmpty());
            assertThat(proxy.armed()).isFalse();
            assertClear(recording.errors.get(0), proxy);
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);

            observer.send(queue, Map.of(), "after the cut");
            waitAtMost(Duration.ofSeconds(10)).until(() -> messages.size() == 1);
            assertThat(messages.get(0).body()).isEqualTo("after the cut");
            assertThat(messages.get(0).header("subscription")).isEqualTo("kept");
            assertThat(subscription.id()).isEqualTo("kept");
            assertThat(recording.stateList()).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
                    ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void cutInTheMiddleOfALargeFrameIsRecoveredAndTheMessageRedeliveredWhole(Wire wire) throws Exception {
        Recording recording = new Recording();
        List<StompMessage> messages = new CopyOnWriteArrayList<>();
        String queue = wire.queue("mid-frame");
        byte[] large = new byte[MIB];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) ('a' + i % 26);
        }
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient producer = wire.client(broker);
                StompClient client = recording.attach(wire.client(proxy))) {
            producer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            client.reconnectDelay(100);
            client.connect(broker.connectHeaders(), frame -> { }, recording.onError());
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);
            client.subscribe(queue, message -> {
                messages.add(message);
                try {
                    message.ack();
                } catch (StompException e) {
                    // a delivery on a connection that is gone; the broker redelivers it
                }
            }, Map.of("id", "large", "ack", "client-individual"));
            // Sent after SUBSCRIBE on the same connection: the broker has the subscription by the time it answers.
            client.sendWithReceipt(queue, Map.of("kind", "marker"), "subscribed").get(10, TimeUnit.SECONDS);
            waitAtMost(Duration.ofSeconds(10)).until(() -> messages.size() == 1);

            proxy.exitAt(ExitAt.MID_LARGE_FRAME);
            producer.sendWithReceipt(queue, Map.of("content-type", "text/plain"), large).get(10, TimeUnit.SECONDS);
            waitAtMost(Duration.ofMillis(PROMPT_MILLIS)).until(() -> !recording.errors.isEmpty());
            assertThat(proxy.armed()).as("cut inside the frame").isFalse();
            assertClear(recording.errors.get(0), proxy);

            waitAtMost(Duration.ofSeconds(15)).until(() -> messages.size() == 2);
            StompMessage redelivered = messages.get(1);
            assertThat(redelivered.binaryBody().length).isEqualTo(MIB);
            assertThat(Arrays.equals(redelivered.binaryBody(), large)).as("the whole message, intact").isTrue();
            assertThat(recording.stateList()).endsWith(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        }
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void cutInTheMiddleOfALargeOutgoingFrameFailsItsReceiptAndTheResendArrivesWhole(Wire wire) throws Exception {
        Recording recording = new Recording();
        List<StompMessage> messages = new CopyOnWriteArrayList<>();
        String queue = wire.queue("mid-send");
        byte[] large = new byte[MIB];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) ('A' + i % 26);
        }
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(broker.port());
                StompClient consumer = wire.client(broker);
                StompClient client = recording.attach(wire.client(proxy))) {
            consumer.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
            consumer.subscribe(queue, messages::add);
            client.reconnectDelay(100);
            client.connect(broker.connectHeaders(), frame -> { }, recording.onError());
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);

            proxy.cutInsideFrame(FaultInjectingProxy.Direction.UPSTREAM, 300 * 1024);
            CompletableFuture<?> cut = client.sendWithReceipt(queue, Map.of("attempt", "1"), large);
            Throwable failure = failureOf(cut);
            assertThat(proxy.armed()).as("cut inside the SEND").isFalse();
            assertThat(failure).isInstanceOf(StompConnectionException.class);
            waitAtMost(Duration.ofSeconds(10)).until(client::connected);

            client.sendWithReceipt(queue, Map.of("attempt", "2"), large).get(10, TimeUnit.SECONDS);
            waitAtMost(Duration.ofSeconds(10)).until(() -> messages.size() == 1);
            client.sendWithReceipt(queue, Map.of("attempt", "marker"), "after").get(10, TimeUnit.SECONDS);
            waitAtMost(Duration.ofSeconds(10)).until(() -> messages.size() == 2);
            assertThat(messages.get(0).header("attempt")).as("the cut SEND never reached the queue").isEqualTo("2");
            assertThat(Arrays.equals(messages.get(0).binaryBody(), large)).as("intact").isTrue();
            assertThat(recording.errors).hasSize(1);
            assertClear(recording.errors.get(0), proxy);
        }
    }

    /** A StompError that names the address and what happened, with the transport failure as a StompException. */
    private static void assertClear(StompError error, FaultInjectingProxy proxy) {
        assertThat(error.message()).contains(String.valueOf(proxy.port())).containsAnyOf("closed", "lost", "failed");
        assertThat(error.cause()).isInstanceOf(StompException.class);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(PROMPT_MILLIS * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("connected, but the connection should have failed");
    }
}
