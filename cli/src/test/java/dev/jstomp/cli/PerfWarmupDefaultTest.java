package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Which warm-up {@code jstomp perf} runs when it is given none, and that an explicit one wins. */
class PerfWarmupDefaultTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--messages 1000                          | 20000 | after a warm-up of 20,000 messages",
        "--messages 1000 --warmup-messages 0      | 0     | no rate limit, 1,000 messages",
        "--messages 1000 --warmup-messages 500    | 500   | after a warm-up of 500 messages",
        "--messages 1000 --rate 100               | 0     | 100 msgs/s",
        "--messages 1000 --warmup 2s              | 0     | after a warm-up of 2",
    })
    void warmsUpAtFullSpeedUnlessToldOtherwise(String args, long warmupMessages, String described) {
        PerfCommand perf = new PerfCommand();
        new CommandLine(perf).parseArgs(args.strip().split(" +"));
        PerfSettings settings = perf.validate();
        assertThat(settings.warmupMessages()).isEqualTo(warmupMessages);
        assertThat(settings.describe()).contains(described);
        if (warmupMessages == 0 && !args.contains("--warmup ")) {
            assertThat(settings.describe()).doesNotContain("warm-up");
        }
    }
}
