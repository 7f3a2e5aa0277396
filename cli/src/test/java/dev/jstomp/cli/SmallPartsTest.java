package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.TypeConversionException;

/** Durations, percentiles, text helpers and the frame log. */
class SmallPartsTest {

    @Test
    void durationsAsPeopleWriteThem() {
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Durations.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> Durations.parse("0s")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void textsForOneLineOutput() {
        assertThat(Texts.oneLine("a\n  b\r\nc ")).isEqualTo("a b c");
        assertThat(Texts.cut("abcdef", 4)).isEqualTo("abc…");
        assertThat(Texts.plural(1, "message")).isEqualTo("1 message");
        assertThat(Texts.plural(10_000, "message")).isEqualTo("10,000 messages");
        assertThat(Texts.width("hi 👋")).isEqualTo(5);
        assertThat(Texts.errorLine("TLS handshake failed (not an SSL/TLS record: " + "3c21".repeat(200) + ")"))
                .isEqualTo("TLS handshake failed (not an SSL/TLS record: " + "3c21".repeat(8) + "…)");
        assertThat(Texts.errorLine("x".repeat(1000))).hasSize(400);
    }

    @Test
    void frameLogWatchesCountsAndFindsTheDisconnectReceipt() {
        FrameLog log = new FrameLog("t", null);
        var receipt = log.watch(f -> f.startsWith("<<< RECEIPT\n") && "r-1".equals(FrameLog.header(f, "receipt-id")));
        var beats = log.watchCount("<<< PONG", 2);
        log.accept("<<< PONG");
        log.accept("<<< RECEIPT\nreceipt-id:r-0\n\n");
        assertThat(receipt).isNotDone();
        assertThat(beats).isNotDone();
        log.accept("<<< RECEIPT\nreceipt-id:r-1\n\n");
        log.accept("<<< PONG");
        assertThat(receipt).isCompleted();
        assertThat(beats).isCompleted();
        assertThat(log.count("<<< PONG")).isEqualTo(2);
        log.accept(">>> DISCONNECT\nreceipt:disconnect-7\n\n");
        assertThat(log.disconnectReceipt()).isNotDone();
        log.accept("<<< RECEIPT\nreceipt-id:disconnect-7\n\n");
        assertThat(log.disconnectReceipt()).isCompleted();
        assertThat(log.seen(">>> DISCONNECT")).isCompleted();
        assertThat(FrameLog.header("<<< MESSAGE\na:1\nb:2\n\nbody:3", "body")).isNull();
    }
}
