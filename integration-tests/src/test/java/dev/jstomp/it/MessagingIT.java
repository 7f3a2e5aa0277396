package dev.jstomp.it;

import static dev.jstomp.it.Timeouts.QUIET;
import static dev.jstomp.it.Timeouts.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.DisplayName;

import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import dev.jstomp.test.StompRecorder;

/** send, subscribe and unsubscribe on every broker, with the bodies and headers that break clients. */
@DisplayName("Messaging")
class MessagingIT {

    @MatrixTest("send, subscribe, unsubscribe; the message left after unsubscribe waits on the queue")
    void sendSubscribeUnsubscribe(BrokerTarget target) throws Exception {
        String destination = target.queue("basic");
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        Subscription subscription = client.subscribe(destination, received, Map.of("id", "my-sub"));
        assertThat(subscription.id()).isEqualTo("my-sub");
        client.send(destination, Map.of("priority", "9"), "Hello, STOMP");
        client.send(destination);
        StompMessage first = received.awaitMessage(WAIT);
        assertThat(first.body()).isEqualTo("Hello, STOMP");
        assertThat(first.header("subscription")).isEqualTo("my-sub");
        assertThat(first.header("destination")).isEqualTo(destination);
        StompMessage empty = received.awaitMessage(WAIT);
        assertThat(empty.body()).isEmpty();
        assertThat(empty.binaryBody()).isEmpty();

        subscription.unsubscribe();
        client.send(destination, Map.of(), "after unsubscribe");
        // The message stays on the queue for the next subscriber, proving it was sent but not delivered to us.
        StompRecorder later = StompRecorder.create();
        client.subscribe(destination, later);
        assertThat(later.awaitMessage(WAIT).body()).isEqualTo("after unsubscribe");
        received.assertNoMoreMessages(QUIET); // nothing reaches the unsubscribed callback
    }

    @MatrixTest("unsubscribe by id")
    void unsubscribeById(BrokerTarget target) throws Exception {
        String destination = target.queue("unsub-id");
        StompClient client = target.connected();
        List<String> bodies = new CopyOnWriteArrayList<>();
        Subscription subscription = client.subscribe(destination, m -> bodies.add(m.body()));
        client.send(destination, Map.of(), "one");
        await().atMost(Timeouts.WAIT).until(() -> bodies.size() == 1);
        client.unsubscribe(subscription.id());
        client.send(destination, Map.of(), "two");
        StompRecorder later = StompRecorder.create();
        client.subscribe(destination, later);
        assertThat(later.awaitMessage(WAIT).body()).isEqualTo("two");
        assertThat(bodies).containsExactly("one");
    }

    @MatrixTest("queue: competing consumers share the messages, each delivered once")
    void queueConsumersShare(BrokerTarget target) throws Exception {
        String destination = target.queue("compete");
        StompClient client = target.connected();
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        client.subscribe(destination, m -> a.add(m.body()));
        client.subscribe(destination, m -> b.add(m.body()));
        for (int i = 0; i < 20; i++) {
            client.send(destination, Map.of(), "m" + i);
        }
        await().atMost(Timeouts.WAIT).until(() -> a.size() + b.size() >= 20);
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
        assertThat(a).as("the first consumer got some").isNotEmpty();
        assertThat(b).as("the second consumer got some").isNotEmpty();
    }

    @MatrixTest("topic: every subscriber gets every message")
    void topicSubscribersEachGetAll(BrokerTarget target) throws Exception {
        String destination = target.topic("fanout");
        StompClient client = target.connected();
        StompRecorder a = StompRecorder.create();
        StompRecorder b = StompRecorder.create();
        // A topic keeps nothing for absent subscribers: publish once the broker confirmed both.
        Receipts.subscribe(client, destination, a);
        Receipts.subscribe(client, destination, b);
        client.send(destination, Map.of(), "first");
        client.send(destination, Map.of(), "second");
        assertThat(a.awaitBodies(2, WAIT)).containsExactly("first", "second");
        assertThat(b.awaitBodies(2, WAIT)).containsExactly("first", "second");
    }

    @MatrixTest("header values with : \\n \\r \\\\ and a : in a header name round-trip")
    void headersWithSpecialCharactersRoundTrip(BrokerTarget target) throws Exception {
        String destination = target.queue("escaping");
        String tricky = "a:b\nc\\d\re";
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received);
        client.send(destination, Map.of("x-tricky", tricky, "x-colon:name", "v"), "body");
        StompMessage message = received.awaitMessage(WAIT);
        assertThat(message.header("x-tricky")).isEqualTo(tricky);
        assertThat(message.header("x-colon:name")).isEqualTo("v");
    }

    @MatrixTest("UTF-8 text bodies arrive intact")
    void utf8Bodies(BrokerTarget target) throws Exception {
        String destination = target.queue("text");
        String text = "Grüße, 世界 🌍";
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received);
        client.send(destination, Map.of("content-type", "text/plain;charset=UTF-8"), text);
        client.send(destination, Map.of(), text);
        assertThat(received.awaitBodies(2, WAIT)).containsExactly(text, text);
    }

    @MatrixTest("binary bodies (random bytes, NULs) arrive byte for byte")
    void binaryBodiesArriveByteForByte(BrokerTarget target) throws Exception {
        String destination = target.queue("binary");
        byte[] binary = new byte[4096];
        new Random(42).nextBytes(binary);
        binary[0] = 0;
        binary[100] = 0;
        binary[4095] = 0;
        List<StompError> errors = new CopyOnWriteArrayList<>();
        StompClient client = target.client();
        client.connect(target.connectHeaders(), frame -> { }, errors::add);
        await().atMost(Timeouts.WAIT).until(client::connected);
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received);
        client.send(destination, Map.of("content-type", "application/octet-stream"), binary);
        if (target.target == Target.RABBITMQ_WS) {
            // Web-STOMP writes every frame as a text WebSocket message unless web_stomp.ws_frame = binary; bytes
            // that are not UTF-8 make it an invalid text message, which a client must reject (RFC 6455 8.1).
            await().atMost(Timeouts.WAIT).until(() -> !errors.isEmpty());
            assertThat(client.connected()).isFalse();
            received.assertNoMoreMessages(QUIET); // the MESSAGE was not valid WebSocket text
            target.unsupported("Web-STOMP sends the MESSAGE as a text WebSocket message (web_stomp.ws_frame = text,"
                    + " the default), invalid for non-UTF-8 bytes, so the connection fails;"
                    + " set web_stomp.ws_frame = binary");
            return;
        }
        client.send(destination, Map.of("content-type", "image/png"), binary);
        assertThat(received.awaitMessage(WAIT).binaryBody()).isEqualTo(binary);
        assertThat(received.awaitMessage(WAIT).binaryBody()).as("binary body with a non-octet-stream type").isEqualTo(binary);
    }

    @MatrixTest("1 MiB and 16 MiB bodies")
    void largeBodies(BrokerTarget target) throws Exception {
        String destination = target.queue("large");
        byte[] oneMiB = pattern(1 << 20);
        byte[] sixteenMiB = pattern(16 << 20);
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received);
        client.send(destination, Map.of(), oneMiB);
        client.send(destination, Map.of(), sixteenMiB);
        assertThat(received.awaitMessage(WAIT).binaryBody()).isEqualTo(oneMiB);
        StompMessage big = received.awaitMessage(WAIT);
        assertThat(big.binaryBody()).hasSize(sixteenMiB.length).isEqualTo(sixteenMiB);
    }

    @MatrixTest("send while not connected fails at once, naming the address")
    void sendWhenNotConnectedFailsClearly(BrokerTarget target) {
        StompClient client = target.client();
        assertThatThrownBy(() -> client.send("/queue/x", Map.of(), "lost?"))
                .isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("not connected")
                .hasMessageContaining(String.valueOf(target.port()));
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        byte[] text = "0123456789abcdef\u0000".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < size; i++) {
            bytes[i] = text[i % text.length];
        }
        return bytes;
    }
}
