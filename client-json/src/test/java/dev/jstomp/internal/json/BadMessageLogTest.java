package dev.jstomp.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.jstomp.json.StompJsonException;
import dev.jstomp.json.TestMessage;

class BadMessageLogTest {

    private final StompJsonException problem = new StompJsonException(
            "Cannot read the message from '/queue/orders' (message-id m-1) as com.acme.Order: Unexpected character", null);

    @Test
    void lineNamesTheProblemTheFateAndTheBodyStart() {
        String line = BadMessageLog.describe(TestMessage.of("{oops\nsecond line"), problem, "client-individual");
        assertThat(line).isEqualTo(problem.getMessage() + ". It was not acknowledged (ack: client-individual), so the "
                + "broker can redeliver or dead-letter it. Body (17 bytes): {oops\\nsecond line");
        assertThat(BadMessageLog.describe(TestMessage.of("x"), problem, "auto")).contains("It was dropped (ack: auto).");
    }

    @Test
    void bodyIsCutTo200Characters() {
        String body = "a".repeat(199) + "é" + "tail".repeat(1_000_000); // ~4 MB: only the start is decoded
        String start = BadMessageLog.bodyStart(body.getBytes(StandardCharsets.UTF_8));
        assertThat(start).isEqualTo("a".repeat(199) + "é...");
        assertThat(BadMessageLog.bodyStart("short".getBytes(StandardCharsets.UTF_8))).isEqualTo("short");
        assertThat(BadMessageLog.bodyStart(new byte[0])).isEmpty();
    }

    @Test
    void neverSplitsASurrogatePairAndEscapesControls() {
        String body = "a".repeat(199) + "\uD83D\uDE00" + "b";
        assertThat(BadMessageLog.bodyStart(body.getBytes(StandardCharsets.UTF_8))).isEqualTo("a".repeat(199) + "...");
        assertThat(BadMessageLog.bodyStart("a\u0000b\rc\td".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("a\\u0000b\\rc\\u0009d");
    }
}
