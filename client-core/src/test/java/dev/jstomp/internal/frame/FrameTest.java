package dev.jstomp.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A frame whose body is a slice of a larger array (as the parser makes for large received bodies). */
class FrameTest {

    private static final byte[] ARRAY = "head|the body|tail".getBytes(StandardCharsets.UTF_8);

    private static Frame slice() {
        return new Frame("MESSAGE", new LinkedHashMap<>(Map.of("destination", "/queue/a")), ARRAY, 5, 8);
    }

    @Test
    void aSliceReadsAsItsBodyOnly() {
        Frame frame = slice();
        assertThat(frame.body()).isEqualTo("the body");
        assertThat(frame.binaryBody()).isEqualTo("the body".getBytes(StandardCharsets.UTF_8));
        assertThat(frame.bodyLength()).isEqualTo(8);
        assertThat(frame.bodyOffset()).isEqualTo(5);
        assertThat(frame.bodyArray()).isSameAs(ARRAY);
        assertThat(frame.toString()).isEqualTo("MESSAGE frame (8 bytes of body)");
    }

    @Test
    void bodyBytesIsTheArrayOfAWholeBodyAndACopyOfASlice() {
        byte[] whole = {1, 2, 3};
        assertThat(new Frame("SEND", Map.of(), whole).bodyBytes()).isSameAs(whole);
        assertThat(slice().bodyBytes()).isEqualTo("the body".getBytes(StandardCharsets.UTF_8)).isNotSameAs(ARRAY);
    }

    @Test
    void binaryBodyIsACopyTheCallerMayChange() {
        Frame frame = slice();
        frame.binaryBody()[0] = 'X';
        assertThat(frame.body()).isEqualTo("the body");
    }

    @Test
    void aSliceOutsideTheArrayIsRefused() {
        assertThatThrownBy(() -> new Frame("MESSAGE", Map.of(), ARRAY, 10, ARRAY.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void noBodyReadsEmpty() {
        Frame frame = new Frame("RECEIPT", Map.of(), null);
        assertThat(frame.body()).isEmpty();
        assertThat(frame.binaryBody()).isEmpty();
        assertThat(frame.bodyLength()).isZero();
    }
}
