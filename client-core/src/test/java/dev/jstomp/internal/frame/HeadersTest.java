package dev.jstomp.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadersTest {

    @Test
    void escapesTheFourStompSequences() {
        assertThat(Headers.escape("a:b\nc\\d\re")).isEqualTo("a\\cb\\nc\\\\d\\re");
        assertThat(Headers.escape("\\\\")).isEqualTo("\\\\\\\\");
        assertThat(Headers.escape("tab\tstays")).isEqualTo("tab\tstays");
    }

    @Test
    void plainValueIsReturnedAsIs() {
        String plain = "/queue/test";

        assertThat(Headers.escape(plain)).isSameAs(plain);
        assertThat(Headers.escape("")).isEmpty();
    }

    @Test
    void onlyConnectAndConnectedAreUnescaped() {
        assertThat(Headers.escapes("CONNECT")).isFalse();
        assertThat(Headers.escapes("STOMP")).isFalse();
        assertThat(Headers.escapes("CONNECTED")).isFalse();
        assertThat(Headers.escapes("SEND")).isTrue();
        assertThat(Headers.escapes("MESSAGE")).isTrue();
        assertThat(Headers.escapes("ERROR")).isTrue();
    }

    @Test
    void passcodeIsSecretWhateverItsCase() {
        assertThat(Headers.isSecret("passcode")).isTrue();
        assertThat(Headers.isSecret("PassCode")).isTrue();
        assertThat(Headers.isSecret("login")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sec\nret-VALUE", "sec\rret-VALUE", "sec\r\nret-VALUE", "\nsecret-VALUE"})
    void connectHeaderWithALineBreakIsRejectedWithoutShowingTheValue(String value) {
        assertThatThrownBy(() -> Headers.validate("CONNECT", Map.of("passcode", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'passcode'")
                .hasMessageContaining("not sent")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sec", "VALUE"));
        assertThatThrownBy(() -> Headers.validate("STOMP", Map.of("passcode", value)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectHeaderNameWithAColonOrLineBreakIsRejected() {
        assertThatThrownBy(() -> Headers.validate("CONNECT", Map.of("a:b", "v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.validate("CONNECT", Map.of("a\nb", "v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a\\nb");
    }

    @Test
    void connectValueWithAColonIsFine() {
        assertThatCode(() -> Headers.validate("CONNECT", Map.of("host", "vhost:1"))).doesNotThrowAnyException();
    }

    @Test
    void otherFramesAcceptAnythingBecauseTheyEscape() {
        assertThatCode(() -> Headers.validate("SEND", Map.of("a:b", "c\nd\re\\f"))).doesNotThrowAnyException();
    }

    @Test
    void emptyNameAndNullValueAreRejected() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("passcode", null);

        assertThatThrownBy(() -> Headers.validate("SEND", Map.of("", "v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> Headers.validate("CONNECT", nullValue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'passcode'");
    }

    @Test
    void firstOccurrenceOfARepeatedHeaderWinsAndOrderIsKept() {
        Map<String, List<String>> decoded = new LinkedHashMap<>();
        decoded.put("b", List.of("1", "2"));
        decoded.put("a", List.of("x"));
        decoded.put("empty", List.of());
        decoded.put("missing", null);

        Map<String, String> headers = Headers.firstWins(decoded);

        assertThat(headers).containsExactly(Map.entry("b", "1"), Map.entry("a", "x"));
        assertThat(Arrays.asList(headers.keySet().toArray())).containsExactly("b", "a");
    }
}
