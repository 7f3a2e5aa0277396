package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void quotesWhatJsonMustEscape() {
        assertThat(Json.quote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
        assertThat(Json.quote("Grüße 🚀")).isEqualTo("\"Grüße 🚀\"");
        assertThat(Json.quote("lone \uD800 surrogate")).isEqualTo("\"lone \\ud800 surrogate\"");
    }

    @Test
    void prettyPrintsValidJson() {
        assertThat(Json.pretty("{\"a\":[1,2.5e3,-0.1],\"b\":{\"c\":null,\"d\":\"x\\\"y\"},\"e\":[],\"f\":{}}"))
                .isEqualTo("""
                        {
                          "a": [
                            1,
                            2.5e3,
                            -0.1
                          ],
                          "b": {
                            "c": null,
                            "d": "x\\"y"
                          },
                          "e": [],
                          "f": {}
                        }""");
        assertThat(Json.pretty("  true ")).isEqualTo("true");
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertThat(Json.pretty("hello")).isNull();
        assertThat(Json.pretty("{\"a\":1,}")).isNull();
        assertThat(Json.pretty("{\"a\" 1}")).isNull();
        assertThat(Json.pretty("[1 2]")).isNull();
        assertThat(Json.pretty("{\"a\":1} trailing")).isNull();
        assertThat(Json.pretty("\"unterminated")).isNull();
        assertThat(Json.pretty("01")).isNull();
        assertThat(Json.pretty("[".repeat(10_000))).isNull();
        assertThat(Json.pretty("")).isNull();
    }

    @Test
    void theCheckReportIsValidJson() {
        CheckRun run = new CheckRun("ws://h:1/ws", "WebSocket", "me", java.util.List.of(
                new CheckResult("a \"quoted\" check", CheckResult.Status.PASS, 12, "line\nbreak"),
                new CheckResult("b", CheckResult.Status.SKIP, 0, "n/a")), 20);
        String json = CheckReport.json(java.util.List.of(run));
        assertThat(Json.pretty(json)).isNotNull();
        assertThat(json).contains("\"passed\": true").contains("\"skip\": 1").contains("a \\\"quoted\\\" check");
    }
}
