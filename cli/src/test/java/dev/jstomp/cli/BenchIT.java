package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BenchIT {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @Test
    void measuresThroughputAndLatencyWithAProgressBar() {
        Cli.Result r = Cli.run(broker.args("bench", broker.tcpUrl(), "--messages", "300", "--size", "256"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("Sending 300 messages of 256 bytes to /queue/jstomp-bench\\.\\w+ on tcp://")
                .containsPattern("Throughput: [\\d,]+ msgs/s, [\\d.]+ MB/s \\(300 messages in [\\d.]+ s\\)")
                .containsPattern("Latency \\(send to receive\\): p50 [\\d.]+ ms, p99 [\\d.]+ ms, max [\\d.]+ ms");
        assertThat(r.err()).as("the progress bar, one line per refresh when not on a terminal").contains("bench")
                .contains("300/300");
    }

    @Test
    void severalConsumersOverWebSocket() {
        Cli.Result r = Cli.run(broker.args("bench", broker.wsUrl(), "-m", "200", "-s", "0", "-c", "3", "--window", "50"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("3 consumers, window 50").contains("(200 messages in");
    }

    @Test
    void onAnEmbeddedBroker() {
        Cli.Result r = Cli.run("bench", "--messages", "100");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines().get(0)).startsWith("Started embedded Artemis");
        assertThat(r.out()).contains("Throughput:");
    }
}
