package dev.jstomp.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json;charset=UTF-8", "APPLICATION/JSON ; charset=utf-8",
            "application/vnd.acme.order+json", "application/problem+json; charset=utf-8", "text/json", "", "  "})
    void jsonOrUnlabelled(String contentType) {
        assertThat(ContentTypes.isJson(contentType)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain;charset=UTF-8", "application/octet-stream", "application/xml",
            "application/jsonp", "application/x-ndjson", "json"})
    void notJson(String contentType) {
        assertThat(ContentTypes.isJson(contentType)).isFalse();
    }

    @Test
    void missingContentTypeCountsAsJson() {
        assertThat(ContentTypes.isJson(null)).isTrue();
    }

    @Test
    void findsTheHeaderInAnyCasePreferringTheExactName() {
        assertThat(ContentTypes.find(Map.of("Content-Type", "text/plain"))).isEqualTo("text/plain");
        assertThat(ContentTypes.find(Map.of("destination", "/queue/a"))).isNull();
        Map<String, String> both = new LinkedHashMap<>();
        both.put("CONTENT-TYPE", "text/plain");
        both.put("content-type", "application/json");
        assertThat(ContentTypes.find(both)).isEqualTo("application/json");
    }

    @Test
    void charsetParameter() {
        assertThat(ContentTypes.charsetName("application/json")).isNull();
        assertThat(ContentTypes.charsetName(null)).isNull();
        assertThat(ContentTypes.charsetName("application/json;charset=UTF-8")).isEqualTo("UTF-8");
        assertThat(ContentTypes.charsetName("application/json; q=1; Charset=\"iso-8859-1\"")).isEqualTo("iso-8859-1");
        assertThat(ContentTypes.isUtf8(null)).isTrue();
        assertThat(ContentTypes.isUtf8("utf8")).isTrue();
        assertThat(ContentTypes.isUtf8("ISO-8859-1")).isFalse();
        assertThat(ContentTypes.isUtf8("no-such-charset")).isFalse();
    }

    @Test
    void sendHeadersGetJsonUnlessTheCallerChose() {
        assertThat(ContentTypes.withJsonContentType(Map.of()))
                .containsExactly(Map.entry("content-type", "application/json;charset=UTF-8"));
        assertThat(ContentTypes.withJsonContentType(Map.of("CONTENT-TYPE", "text/plain")))
                .containsExactly(Map.entry("CONTENT-TYPE", "text/plain"));
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("transaction", "tx-1");
        ordered.put("receipt", "r-1");
        assertThat(ContentTypes.withJsonContentType(ordered)).containsExactly(Map.entry("transaction", "tx-1"),
                Map.entry("receipt", "r-1"), Map.entry("content-type", "application/json;charset=UTF-8"));
    }
}
