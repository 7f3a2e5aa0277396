package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad {@code jstomp perf} options: one clear line on standard error and exit 2, before anything starts. */
class PerfOptionsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--producers 0                             | --producers, --destinations and --max-in-flight must be at least 1",
        "--consumers -1                            | --consumers, --connections and --size at least 0",
        "--size -5                                 | --size at least 0",
        "--max-in-flight 0                         | --max-in-flight must be at least 1",
        "--rate -10                                | --rate must be 0 (as fast as possible) or a positive number",
        "--rate fast                               | Invalid value for option '--rate'",
        "--duration soon                           | --duration",
        "--duration 5s --messages 100              | give --duration or --messages, not both",
        "--messages 1 --producers 2                | --messages must be at least the number of producers (2)",
        "--warmup 1s --warmup-messages 10          | give --warmup or --warmup-messages, not both",
        "--warmup-messages 1 --producers 2         | --warmup-messages must be at least the number of producers (2)",
        "--ack sometimes                           | --ack must be auto, client or client-individual, not 'sometimes'",
        "--transport quic                          | --transport must be tcp or ws, not 'quic'",
        "--heartbeat 10000                         | --heartbeat must be OUT,IN in milliseconds (0 = none), e.g. 0,10000, not '10000'",
        "--heartbeat 0,soon                        | --heartbeat must be OUT,IN in milliseconds (0 = none), e.g. 0,10000, not '0,soon'",
        "--heartbeat -1,0                          | --heartbeat must be OUT,IN",
        "--transport ws tcp://127.0.0.1:1          | --transport ws disagrees with tcp://127.0.0.1:1",
        "localhost:61613                           | write tcp://localhost:61613",
    })
    void refusesBadValuesWithOneLine(String args, String expected) {
        Cli.Result r = Cli.run(("perf " + args.strip()).split(" +"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Exit.USAGE);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("jstomp perf: ").contains(expected);
        assertThat(r.out()).as("nothing started").isEmpty();
    }
}
