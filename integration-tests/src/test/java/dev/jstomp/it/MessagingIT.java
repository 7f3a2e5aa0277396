package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;

/** send, subscribe and unsubscribe over both transports, with the bodies and headers that break clients. */
class MessagingIT {

    @RegisterExtension
    static final ArtemisExtension broker = new ArtemisExtension();

    private static StompMessage next(BlockingQueue<StompMessage> queue) throws InterruptedException {
        StompMessage message = queue.poll(20, TimeUnit.SECONDS);
        assertThat(message).as("a message within 20 s").isNotNull();
        return message;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendSubscribeUnsubscribe(Transport transport) throws Exception {
        String destination = transport.queue("basic");
        try (StompClient client = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            Subscription subscription = client.subscribe(destination, received::add, Map.of("id", "my-sub"));
            assertThat(subscription.id()).isEqualTo("my-sub");
            client.send(destination, Map.of("priority", "9"), "Hello, STOMP");
            client.send(destination);
            StompMessage first = next(received);
            assertThat(first.body()).isEqualTo("Hello, STOMP");
            assertThat(first.header("subscription")).isEqualTo("my-sub");
            assertThat(first.header("destination")).isEqualTo(destination);
            StompMessage empty = next(received);
            assertThat(empty.body()).isEmpty();
            assertThat(empty.binaryBody()).isEmpty();

            subscription.unsubscribe();
            client.send(destination, Map.of(), "after unsubscribe");
            // The message stays on the queue for the next subscriber, proving it was sent but not delivered to us.
            BlockingQueue<StompMessage> later = new LinkedBlockingQueue<>();
            client.subscribe(destination, later::add);
            assertThat(next(later).body()).isEqualTo("after unsubscribe");
            assertThat(received).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unsubscribeById(Transport transport) throws Exception {
        String destination = transport.queue("unsub-id");
        try (StompClient client = transport.connected(broker)) {
            List<String> bodies = new CopyOnWriteArrayList<>();
            Subscription subscription = client.subscribe(destination, m -> bodies.add(m.body()));
            client.send(destination, Map.of(), "one");
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
            client.unsubscribe(subscription.id());
            client.send(destination, Map.of(), "two");
            BlockingQueue<StompMessage> later = new LinkedBlockingQueue<>();
            client.subscribe(destination, later::add);
            assertThat(next(later).body()).isEqualTo("two");
            assertThat(bodies).containsExactly("one");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void headersWithSpecialCharactersRoundTrip(Transport transport) throws Exception {
        String destination = transport.queue("escaping");
        String tricky = "a:b\nc\\d\re";
        try (StompClient client = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            client.subscribe(destination, received::add);
            client.send(destination, Map.of("x-tricky", tricky, "x-colon:name", "v"), "body");
            StompMessage message = next(received);
            assertThat(message.header("x-tricky")).isEqualTo(tricky);
            assertThat(message.header("x-colon:name")).isEqualTo("v");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void utf8AndBinaryBodiesArriveByteForByte(Transport transport) throws Exception {
        String destination = transport.queue("bodies");
        String text = "Grüße, 世界 🌍";
        byte[] binary = new byte[4096];
        new Random(42).nextBytes(binary);
        binary[0] = 0;
        binary[100] = 0;
        binary[4095] = 0;
        try (StompClient client = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            client.subscribe(destination, received::add);
            client.send(destination, Map.of("content-type", "text/plain;charset=UTF-8"), text);
            client.send(destination, Map.of("content-type", "application/octet-stream"), binary);
            client.send(destination, Map.of("content-type", "image/png"), binary);
            assertThat(next(received).body()).isEqualTo(text);
            assertThat(next(received).binaryBody()).isEqualTo(binary);
            assertThat(next(received).binaryBody()).as("binary body with a non-octet-stream type").isEqualTo(binary);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void largeBodies(Transport transport) throws Exception {
        String destination = transport.queue("large");
        byte[] oneMiB = pattern(1 << 20);
        byte[] sixteenMiB = pattern(16 << 20);
        try (StompClient client = transport.connected(broker)) {
            BlockingQueue<StompMessage> received = new LinkedBlockingQueue<>();
            client.subscribe(destination, received::add);
            client.send(destination, Map.of(), oneMiB);
            client.send(destination, Map.of(), sixteenMiB);
            assertThat(next(received).binaryBody()).isEqualTo(oneMiB);
            StompMessage big = next(received);
            assertThat(big.binaryBody()).hasSize(sixteenMiB.length).isEqualTo(sixteenMiB);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendWhenNotConnectedFailsClearly(Transport transport) {
        try (StompClient client = transport.client(broker)) {
            assertThatThrownBy(() -> client.send("/queue/x", Map.of(), "lost?"))
                    .isInstanceOf(StompConnectionException.class)
                    .hasMessageContaining("not connected")
                    .hasMessageContaining(String.valueOf(broker.port()));
        }
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
