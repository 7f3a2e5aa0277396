package dev.jstomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SendHeadersTest {

    @Test
    void headers() {
        assertThat(SendHeaders.persistent()).isEqualTo(Map.of("persistent", "true"));
        assertThat(SendHeaders.anycast()).isEqualTo(Map.of("destination-type", "ANYCAST"));
        assertThat(SendHeaders.multicast()).isEqualTo(Map.of("destination-type", "MULTICAST"));
    }
}
