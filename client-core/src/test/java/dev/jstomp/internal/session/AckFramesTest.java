package dev.jstomp.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jstomp.StompException;
import dev.jstomp.StompProtocolException;
import dev.jstomp.internal.frame.Frame;

class AckFramesTest {

    private static Frame message(String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new Frame("MESSAGE", headers, new byte[] {'x'});
    }

    private static final Frame CLIENT_ACK_MESSAGE =
            message("subscription", "sub-1", "message-id", "m-7", "destination", "/queue/a", "ack", "a-42");

    @ParameterizedTest
    @ValueSource(strings = {"ACK", "NACK"})
    void stomp12UsesTheAckHeaderAsId(String command) {
        Frame ack = AckFrames.build(command, CLIENT_ACK_MESSAGE, "1.2", Map.of());

        assertThat(ack.command()).isEqualTo(command);
        assertThat(ack.headers()).containsExactly(Map.entry("id", "a-42"));
        assertThat(ack.bodyBytes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ACK", "NACK"})
    void stomp11UsesMessageIdAndSubscription(String command) {
        Frame ack = AckFrames.build(command, CLIENT_ACK_MESSAGE, "1.1", Map.of());

        assertThat(ack.headers()).containsExactly(Map.entry("message-id", "m-7"), Map.entry("subscription", "sub-1"));
    }

    @Test
    void stomp10AcksWithMessageIdOnly() {
        Frame ack = AckFrames.build("ACK", CLIENT_ACK_MESSAGE, "1.0", Map.of());

        assertThat(ack.headers()).containsExactly(Map.entry("message-id", "m-7"));
    }

    @Test
    void stomp10HasNoNack() {
        assertThatThrownBy(() -> AckFrames.build("NACK", CLIENT_ACK_MESSAGE, "1.0", Map.of()))
                .isInstanceOf(StompProtocolException.class)
                .hasMessageContaining("1.0").hasMessageContaining("NACK");
    }

    @Test
    void stomp12MessageWithoutAnAckHeaderCameFromAnAutoAckSubscription() {
        Frame auto = message("subscription", "sub-1", "message-id", "m-7", "destination", "/queue/a");

        assertThatThrownBy(() -> AckFrames.build("ACK", auto, "1.2", Map.of()))
                .isInstanceOf(StompException.class).hasMessageContaining("ack:auto");
    }

    @Test
    void stomp11MessageWithoutTheNeededHeadersIsAProtocolError() {
        assertThatThrownBy(() -> AckFrames.build("ACK", message("subscription", "sub-1"), "1.1", Map.of()))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("'message-id'");
        assertThatThrownBy(() -> AckFrames.build("ACK", message("message-id", "m-1"), "1.1", Map.of()))
                .isInstanceOf(StompProtocolException.class).hasMessageContaining("'subscription'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1.1", "1.2"})
    void transactionIsCarried(String version) {
        Frame ack = AckFrames.build("ACK", CLIENT_ACK_MESSAGE, version, Map.of("transaction", "tx-1"));

        assertThat(ack.header("transaction")).isEqualTo("tx-1");
    }

    @Test
    void extraHeadersCannotReplaceTheIds() {
        Frame ack = AckFrames.build("ACK", CLIENT_ACK_MESSAGE, "1.2", Map.of("id", "forged", "receipt", "r-1"));

        assertThat(ack.header("id")).isEqualTo("a-42");
        assertThat(ack.header("receipt")).isEqualTo("r-1");
    }
}
