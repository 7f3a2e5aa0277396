package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import dev.jstomp.Transaction;
import dev.jstomp.json.JsonSubscribeOptions;
import dev.jstomp.json.StompJson;
import tools.jackson.core.type.TypeReference;
import dev.jstomp.test.EmbeddedStompBroker;

/** client-json end to end: JSON bodies through the embedded Artemis, over TCP and WebSocket. */
class JsonIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    record Order(String id, BigDecimal price, int quantity, Instant placed) {
    }

    /** The stomp.js chat-room message. */
    record ChatMessage(String type, String msg, Instant time) {
    }

    record Document(String id, List<String> lines) {
    }

    /** A bad message as the error handler saw it. */
    record Refused(String messageId, String body, String problem) {
    }

    private final StompJson json = StompJson.create();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void recordRoundTrip(Transport transport) throws Exception {
        String destination = "/queue/json-record-" + transport;
        Order order = new Order("o-1", new BigDecimal("19.99"), 3, Instant.parse("2025-01-31T10:15:30.123Z"));
        List<Order> received = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        try (StompClient client = connect(transport)) {
            json.subscribe(client, destination, Order.class, (o, message) -> {
                received.add(o);
                contentTypes.add(String.valueOf(message.header("content-type")));
            }, Map.of());
            json.send(client, destination, order);

            await().atMost(TIMEOUT).until(() -> received.size() == 1);
            assertThat(received).containsExactly(order);
            assertThat(contentTypes).containsExactly("application/json;charset=UTF-8");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void genericList(Transport transport) throws Exception {
        String destination = "/queue/json-list-" + transport;
        List<Order> orders = List.of(new Order("a", BigDecimal.ONE, 1, Instant.EPOCH),
                new Order("b", BigDecimal.TEN, 2, Instant.EPOCH.plusSeconds(60)));
        List<List<Order>> received = new CopyOnWriteArrayList<>();
        try (StompClient client = connect(transport)) {
            json.subscribe(client, destination, new TypeReference<List<Order>>() { }, received::add);
            json.send(client, destination, orders);

            await().atMost(TIMEOUT).until(() -> received.size() == 1);
            assertThat(received.get(0)).isEqualTo(orders).allSatisfy(o -> assertThat(o).isInstanceOf(Order.class));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedJsonThenGoodMessageOnOneSubscription(Transport transport) throws Exception {
        String destination = "/queue/json-malformed-" + transport;
        List<ChatMessage> received = new CopyOnWriteArrayList<>();
        List<Refused> refused = new CopyOnWriteArrayList<>();
        try (StompClient client = connect(transport)) {
            json.subscribe(client, destination, ChatMessage.class, (chat, message) -> received.add(chat),
                    JsonSubscribeOptions.defaults().onError((message, e) -> refused.add(refused(message, e))));
            client.send(destination, Map.of("content-type", "application/json"), "{\"type\": \"chat\", \"msg\": ");
            ChatMessage good = new ChatMessage("chat", "still here", Instant.parse("2025-01-31T10:15:30Z"));
            json.send(client, destination, good);

            await().atMost(TIMEOUT).until(() -> received.size() == 1);
            assertThat(received).containsExactly(good);
            assertThat(refused).singleElement().satisfies(r -> {
                assertThat(r.body()).isEqualTo("{\"type\": \"chat\", \"msg\": ");
                assertThat(r.problem()).startsWith("Cannot read the message from '" + destination + "' (message-id ")
                        .contains(ChatMessage.class.getName(), "end-of-input");
            });
            assertThat(client.connected()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void badMessageIsNotAckedSoTheBrokerRedeliversIt(Transport transport) throws Exception {
        String destination = "/queue/json-unacked-" + transport;
        List<ChatMessage> received = new CopyOnWriteArrayList<>();
        List<Refused> refused = new CopyOnWriteArrayList<>();
        try (StompClient client = connect(transport)) {
            Subscription subscription = json.subscribe(client, destination, ChatMessage.class, (chat, message) -> {
                message.ack(); // before it is counted: the ACK must be queued ahead of the UNSUBSCRIBE below
                received.add(chat);
            }, JsonSubscribeOptions.defaults()
                    .headers(Map.of("ack", "client-individual"))
                    .onError((message, e) -> refused.add(refused(message, e))));
            client.send(destination, Map.of(), "{\"type\": 42, \"time\": \"not a time\"}");
            json.send(client, destination, new ChatMessage("chat", "good", Instant.EPOCH));
            await().atMost(TIMEOUT).until(() -> received.size() == 1 && refused.size() == 1);
            assertThat(refused.get(0).problem()).contains("java.time.Instant", "not a time");
            subscription.unsubscribe();

            // A new consumer gets the unacknowledged message back, and not the acknowledged one: the marker
            // sent after it arrives second.
            List<String> redelivered = new CopyOnWriteArrayList<>();
            client.subscribe(destination, message -> redelivered.add(message.body()));
            client.send(destination, Map.of(), "marker");
            await().atMost(TIMEOUT).until(() -> redelivered.contains("marker"));
            assertThat(redelivered).containsExactly(refused.get(0).body(), "marker");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void textPlainIsRefusedUnlessLenient(Transport transport) throws Exception {
        String destination = "/queue/json-plain-" + transport;
        List<ChatMessage> strict = new CopyOnWriteArrayList<>();
        List<Refused> refused = new CopyOnWriteArrayList<>();
        List<ChatMessage> lenient = new CopyOnWriteArrayList<>();
        String body = "{\"type\":\"chat\",\"msg\":\"labelled text\",\"time\":\"2025-01-31T10:15:30Z\"}";
        try (StompClient client = connect(transport)) {
            Subscription s = json.subscribe(client, destination, ChatMessage.class, (chat, m) -> strict.add(chat),
                    JsonSubscribeOptions.defaults().onError((message, e) -> refused.add(refused(message, e))));
            client.send(destination, Map.of("content-type", "text/plain"), body);
            await().atMost(TIMEOUT).until(() -> refused.size() == 1);
            assertThat(strict).isEmpty();
            assertThat(refused.get(0).problem()).contains("content-type is 'text/plain', not JSON");
            s.unsubscribe();

            json.subscribe(client, destination, ChatMessage.class, (chat, m) -> lenient.add(chat),
                    JsonSubscribeOptions.defaults().lenientContentType(true));
            client.send(destination, Map.of("content-type", "text/plain"), body);
            await().atMost(TIMEOUT).until(() -> lenient.size() == 1);
            assertThat(lenient.get(0).msg()).isEqualTo("labelled text");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendInsideATransaction(Transport transport) throws Exception {
        String destination = "/queue/json-tx-" + transport;
        List<String> received = new CopyOnWriteArrayList<>();
        try (StompClient client = connect(transport)) {
            json.subscribe(client, destination, ChatMessage.class, chat -> received.add(chat.msg()));
            Transaction tx = client.begin();
            json.send(client, destination, Map.of("transaction", tx.id()), new ChatMessage("chat", "in tx", Instant.EPOCH));
            json.send(client, destination, new ChatMessage("chat", "outside", Instant.EPOCH));
            await().atMost(TIMEOUT).until(() -> received.contains("outside"));
            assertThat(received).containsExactly("outside"); // held by the broker until COMMIT
            tx.commit();
            await().atMost(TIMEOUT).until(() -> received.size() == 2);
            assertThat(received).containsExactly("outside", "in tx");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void fiveMebibyteDocument(Transport transport) throws Exception {
        String destination = "/queue/json-large-" + transport;
        // 80,000 lines of 64 characters: ~5.5 MB of JSON, far past Artemis's 64 KiB WebSocket frame limit.
        Document document = new Document("big", IntStream.range(0, 80_000)
                .mapToObj(i -> String.format("%08d", i) + "-".repeat(55) + "é").toList());
        assertThat(json.mapper().writeValueAsBytes(document).length).isGreaterThan(5 * 1024 * 1024);
        List<Document> received = new CopyOnWriteArrayList<>();
        try (StompClient client = connect(transport)) {
            json.subscribe(client, destination, Document.class, received::add);
            json.send(client, destination, document);

            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
            assertThat(received.get(0)).isEqualTo(document);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void chatRoom(Transport transport) throws Exception {
        String room = "/topic/json-chat-" + transport;
        List<ChatMessage> seenByBob = new CopyOnWriteArrayList<>();
        try (StompClient alice = connect(transport); StompClient bob = connect(transport)) {
            json.subscribe(bob, room, ChatMessage.class, seenByBob::add);
            // A topic keeps nothing for late subscribers: Bob's own "join" coming back shows he is listening.
            json.send(bob, room, new ChatMessage("join", "bob", Instant.now()));
            await().atMost(TIMEOUT).until(() -> !seenByBob.isEmpty());

            Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
            json.send(alice, room, new ChatMessage("chat", "Hello, Bob", sent));
            await().atMost(TIMEOUT).until(() -> seenByBob.size() == 2);
            assertThat(seenByBob.get(1)).isEqualTo(new ChatMessage("chat", "Hello, Bob", sent));
        }
    }

    private static Refused refused(StompMessage message, Exception e) {
        return new Refused(String.valueOf(message.header("message-id")), message.body(), e.getMessage());
    }

    private static StompClient connect(Transport transport) throws Exception {
        StompClient client = transport.client(broker);
        try {
            client.connectAsync(Map.of("login", broker.login(), "passcode", broker.passcode()))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }
}
