package dev.jstomp.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Client offers cx,cy; server answers sx,sy; send every max(cx,sy), expect every max(sx,cy), zero if either is 0. */
class HeartbeatTermsTest {

    @ParameterizedTest(name = "client {0},{1} + server {2} -> send {3}, expect {4}")
    @CsvSource(delimiter = ';', value = {
        "10000; 10000; 0,0;       0;     0",
        "1000;  2000;  3000,500;  1000;  3000",
        "1000;  2000;  500,3000;  3000;  2000",
        "0;     2000;  3000,500;  0;     3000",
        "1000;  0;     3000,500;  1000;  0",
        "1000;  1000;  0,500;     1000;  0",
        "1000;  1000;  500,0;     0;     1000",
        "0;     0;     5000,5000; 0;     0",
        "300;   0;     0,300;     300;   0",
        "0;     500;   500,0;     0;     500",
    })
    void negotiatesAsTheSpecificationSays(long outgoing, long incoming, String server, long send, long expect) {
        HeartbeatTerms terms = HeartbeatTerms.negotiate(outgoing, incoming, server);

        assertThat(terms.sendEvery()).as("send every").isEqualTo(send);
        assertThat(terms.expectEvery()).as("expect every").isEqualTo(expect);
    }

    @Test
    void spacesAroundTheNumbersAreTolerated() {
        assertThat(HeartbeatTerms.negotiate(100, 100, " 200 , 300 ")).isEqualTo(new HeartbeatTerms(300, 200));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "1000", "1000,", ",1000", "1,2,3", "x,1000", "1000;1000", "99999999999999999999,1"})
    void missingOrMalformedHeaderMeansNoHeartbeats(String header) {
        assertThat(HeartbeatTerms.negotiate(1000, 1000, header)).isEqualTo(new HeartbeatTerms(0, 0));
    }

    @Test
    void negativeServerValuesCountAsZero() {
        assertThat(HeartbeatTerms.negotiate(1000, 1000, "-5,-5")).isEqualTo(new HeartbeatTerms(0, 0));
        assertThat(HeartbeatTerms.parse("-5,7")).containsExactly(0, 7);
    }
}
