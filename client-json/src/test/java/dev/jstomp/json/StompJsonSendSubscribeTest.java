package dev.jstomp.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import tools.jackson.core.type.TypeReference;

/** {@link StompJson#send} and {@link StompJson#subscribe} against a client that records what it is asked. */
class StompJsonSendSubscribeTest {

    record ChatMessage(String type, String msg, Instant time) {
    }

    /** Jackson cannot write it: the getter throws. */
    static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    private final StompJson json = StompJson.create();
    private final RecordingClient recording = new RecordingClient();

    // --- send ---

    @Test
    void sendWritesJsonWithContentType() {
        json.send(recording.client, "/topic/chat", new ChatMessage("chat", "hi", Instant.parse("2025-01-31T10:15:30Z")));

        RecordingClient.Sent sent = recording.sent.get(0);
        assertThat(sent.destination()).isEqualTo("/topic/chat");
        assertThat(sent.headers()).containsExactly(Map.entry("content-type", "application/json;charset=UTF-8"));
        assertThat(new String(sent.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"chat\",\"msg\":\"hi\",\"time\":\"2025-01-31T10:15:30Z\"}");
    }

    @Test
    void sendKeepsTheCallersContentTypeInAnyCaseAndOtherHeaders() {
        json.send(recording.client, "/queue/a", Map.of("Content-Type", "application/vnd.acme+json"), List.of(1));
        json.send(recording.client, "/queue/a", Map.of("content-type", "text/plain"), List.of(2));
        json.send(recording.client, "/queue/a", Map.of("transaction", "tx-1", "priority", "9"), List.of(3));

        assertThat(recording.sent.get(0).headers()).containsExactly(Map.entry("Content-Type", "application/vnd.acme+json"));
        assertThat(recording.sent.get(1).headers()).containsExactly(Map.entry("content-type", "text/plain"));
        assertThat(recording.sent.get(2).headers()).containsEntry("transaction", "tx-1").containsEntry("priority", "9")
                .containsEntry("content-type", "application/json;charset=UTF-8").hasSize(3);
    }

    @Test
    void sendThatCannotWriteThrowsAndSendsNothing() {
        assertThatThrownBy(() -> json.send(recording.client, "/queue/a", new Unwritable()))
                .isInstanceOf(StompJsonException.class)
                .hasMessageContaining("Cannot write a " + Unwritable.class.getName() + " as JSON for '/queue/a'")
                .hasMessageContaining("no value");
        assertThat(recording.sent).isEmpty();
    }

    // --- subscribe ---

    @Test
    void subscribeDeliversValuesWithAckAuto() {
        List<ChatMessage> received = new ArrayList<>();
        Subscription s = json.subscribe(recording.client, "/topic/chat", ChatMessage.class, received::add);

        assertThat(s.destination()).isEqualTo("/topic/chat");
        assertThat(recording.only().headers()).isEmpty();
        recording.only().deliver(TestMessage.of("{\"type\":\"chat\",\"msg\":\"hi\",\"time\":\"2025-01-31T10:15:30Z\"}",
                "content-type", "application/json;charset=UTF-8"));
        assertThat(received).containsExactly(new ChatMessage("chat", "hi", Instant.parse("2025-01-31T10:15:30Z")));
    }

    @Test
    void subscribeWithTypeReferenceAndHeadersGivesTheMessageToAck() {
        List<List<Integer>> received = new ArrayList<>();
        json.subscribe(recording.client, "/queue/n", new TypeReference<List<Integer>>() { }, (numbers, message) -> {
            received.add(numbers);
            message.ack();
        }, Map.of("ack", "client-individual", "id", "numbers"));

        assertThat(recording.only().headers()).containsEntry("ack", "client-individual").containsEntry("id", "numbers");
        TestMessage message = TestMessage.of("[1,2,3]");
        recording.only().deliver(message);
        assertThat(received).containsExactly(List.of(1, 2, 3));
        assertThat(message.acknowledgements).containsExactly("ACK");
    }

    @Test
    void badMessagesGoToTheErrorHandlerUnackedAndTheSubscriptionGoesOn() {
        List<String> values = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        json.subscribe(recording.client, "/queue/orders", ChatMessage.class, (chat, message) -> {
            values.add(chat.msg());
            message.ack();
        }, JsonSubscribeOptions.defaults()
                .headers(Map.of("ack", "client-individual"))
                .onError((message, e) -> errors.add(message.header("message-id") + ": " + e.getMessage())));

        TestMessage malformed = TestMessage.of("{oops", "message-id", "bad-1");
        TestMessage mismatched = TestMessage.of("{\"time\":\"yesterday\"}", "message-id", "bad-2");
        TestMessage plain = TestMessage.of("{\"msg\":\"hi\"}", "message-id", "bad-3", "content-type", "text/plain");
        TestMessage good = TestMessage.of("{\"msg\":\"hi\"}", "message-id", "good-1");
        for (TestMessage m : List.of(malformed, mismatched, plain, good)) {
            recording.only().deliver(m);
        }

        assertThat(values).containsExactly("hi");
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).startsWith("bad-1: Cannot read the message from '/queue/orders' (message-id bad-1)");
        assertThat(errors.get(1)).startsWith("bad-2: ").contains("java.time.Instant", "yesterday", "[\"time\"]");
        assertThat(errors.get(2)).startsWith("bad-3: ").contains("content-type is 'text/plain', not JSON",
                "lenientContentType(true)");
        assertThat(malformed.acknowledgements).isEmpty();
        assertThat(mismatched.acknowledgements).isEmpty();
        assertThat(plain.acknowledgements).isEmpty();
        assertThat(good.acknowledgements).containsExactly("ACK");
    }

    @Test
    void contentTypeDecisionsOnReceive() {
        List<String> values = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        json.subscribe(recording.client, "/queue/q", ChatMessage.class, (chat, message) -> values.add(chat.msg()),
                JsonSubscribeOptions.defaults().onError((message, e) -> errors.add(message.header("message-id"))));
        String body = "{\"msg\":\"m\"}";
        recording.only().deliver(TestMessage.of(body, "message-id", "none"));
        recording.only().deliver(TestMessage.of(body, "message-id", "json", "content-type", "application/json"));
        recording.only().deliver(TestMessage.of(body, "message-id", "upper", "Content-Type", "APPLICATION/JSON; charset=utf-8"));
        recording.only().deliver(TestMessage.of(body, "message-id", "vendor", "content-type", "application/vnd.acme.chat+json"));
        recording.only().deliver(TestMessage.of(body, "message-id", "text", "content-type", "text/plain"));
        recording.only().deliver(TestMessage.of(body, "message-id", "octets", "content-type", "application/octet-stream"));

        assertThat(values).hasSize(4);
        assertThat(errors).containsExactly("text", "octets");
    }

    @Test
    void lenientContentTypeReadsWhateverTheLabel() {
        List<String> values = new ArrayList<>();
        json.subscribe(recording.client, "/queue/q", ChatMessage.class, (chat, message) -> values.add(chat.msg()),
                JsonSubscribeOptions.defaults().lenientContentType(true));
        recording.only().deliver(TestMessage.of("{\"msg\":\"m\"}", "content-type", "text/plain"));
        assertThat(values).containsExactly("m");
    }

    @Test
    void defaultErrorHandlerLogsAndSwallows() {
        List<ChatMessage> values = new ArrayList<>();
        json.subscribe(recording.client, "/queue/q", ChatMessage.class, values::add);
        recording.only().deliver(TestMessage.of("not json at all"));
        recording.only().deliver(TestMessage.of("{\"msg\":\"after\"}"));
        assertThat(values).extracting(ChatMessage::msg).containsExactly("after");
    }

    @Test
    void anExceptionFromTheCallbackIsTheCallersNotABadMessage() {
        List<String> errors = new ArrayList<>();
        json.subscribe(recording.client, "/queue/q", ChatMessage.class, (chat, message) -> {
            throw new IllegalStateException("callback bug");
        }, JsonSubscribeOptions.defaults().onError((message, e) -> errors.add(e.getMessage())));
        // The client's delivery lane catches and logs it; it must reach the lane, not the error handler.
        assertThatThrownBy(() -> recording.only().deliver(TestMessage.of("{\"msg\":\"m\"}")))
                .isInstanceOf(IllegalStateException.class).hasMessage("callback bug");
        assertThat(errors).isEmpty();
    }

    @Test
    void optionsAreImmutableCopies() {
        JsonSubscribeOptions defaults = JsonSubscribeOptions.defaults();
        Map<String, String> headers = new java.util.HashMap<>(Map.of("ack", "client"));
        JsonSubscribeOptions changed = defaults.headers(headers).lenientContentType(true)
                .onError((StompMessage message, StompJsonException e) -> { });
        headers.put("id", "later");

        assertThat(defaults.headers()).isEmpty();
        assertThat(defaults.errorHandler()).isNull();
        assertThat(defaults.lenientContentType()).isFalse();
        assertThat(changed.headers()).containsExactly(Map.entry("ack", "client"));
        assertThat(changed.errorHandler()).isNotNull();
        assertThat(changed.lenientContentType()).isTrue();
        assertThat(changed.onError(null).errorHandler()).isNull();
    }
}
