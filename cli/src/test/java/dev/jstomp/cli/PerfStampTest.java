package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The send and due times in the first 36 bytes of a perf message's body. */
class PerfStampTest {

    @Test
    void bothTimesComeBackExactlyWhateverTheirSign() {
        byte[] template = new byte[128];
        Arrays.fill(template, (byte) 'x');
        for (long[] times : new long[][] {{0, 0}, {123_456_789_012L, 123_456_790_000L}, {-5, Long.MAX_VALUE},
                {Long.MIN_VALUE, -1}}) {
            byte[] body = PerfStamp.stamped(template, times[0], times[1]);
            assertThat(body).hasSize(128).isNotSameAs(template);
            assertThat(PerfStamp.carries(body)).isTrue();
            assertThat(PerfStamp.sent(body)).isEqualTo(times[0]);
            assertThat(PerfStamp.due(body)).isEqualTo(times[1]);
            // Only the first 36 bytes change, and they stay readable text.
            assertThat(Arrays.copyOfRange(body, PerfStamp.LENGTH, 128)).containsOnly('x');
            assertThat(new String(body, 0, PerfStamp.LENGTH, StandardCharsets.US_ASCII)).matches("jpf:[0-9a-f]{32}");
        }
        assertThat(template).containsOnly('x'); // the template is not written to
    }

    @Test
    void othersMessagesAreNotTakenForStamped() {
        assertThat(PerfStamp.carries("hello".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(PerfStamp.carries(new byte[64])).isFalse();
        byte[] almost = PerfStamp.stamped(new byte[40], 42, 42);
        almost[10] = 'g'; // not a hex digit
        assertThat(PerfStamp.carries(almost)).isFalse();
        byte[] upper = PerfStamp.stamped(new byte[40], 42, 42);
        upper[0] = 'J';
        assertThat(PerfStamp.carries(upper)).isFalse();
    }

    @Test
    void onlyBodiesThatCanHoldItCheaplyCarryIt() {
        assertThat(PerfStamp.fitsIn(PerfStamp.LENGTH - 1)).isFalse();
        assertThat(PerfStamp.fitsIn(PerfStamp.LENGTH)).isTrue();
        assertThat(PerfStamp.fitsIn(1024)).isTrue();
        assertThat(PerfStamp.fitsIn(PerfStamp.MAX_BODY)).isTrue();
        assertThat(PerfStamp.fitsIn(PerfStamp.MAX_BODY + 1)).isFalse();
    }
}
