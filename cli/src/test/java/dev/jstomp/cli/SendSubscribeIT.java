package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SendSubscribeIT {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    private static String queue(String name) {
        return "/queue/cli-" + name + "-" + RunId.next();
    }

    @Test
    void sendThenSubscribeWithCount() {
        String queue = queue("basic");
        Cli.Result one = Cli.run(broker.args("send", broker.tcpUrl(), queue, "hello"));
        assertThat(one.exitCode()).as(one.toString()).isZero();
        assertThat(one.out()).isEqualTo("Sent 1 message to " + queue + "\n");
        Cli.Result lines = Cli.runWithInput("one\ntwo\nthree\n", broker.args("send", broker.wsUrl(), queue, "--lines"));
        assertThat(lines.out()).as(lines.toString()).isEqualTo("Sent 3 messages to " + queue + "\n");
        Cli.Result receipted = Cli.run(broker.args("send", broker.tcpUrl(), queue, "receipted ✓", "--receipt"));
        assertThat(receipted.out()).as(receipted.toString())
                .isEqualTo("Sent 1 message to " + queue + " (1 receipt received)\n");

        Cli.Result got = Cli.run(broker.args("subscribe", broker.wsUrl(), queue, "--count", "5"));
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.out()).isEqualTo("hello\none\ntwo\nthree\nreceipted ✓\n");
        assertThat(got.err()).contains("Subscribed to " + queue, "Received 5 messages; disconnected");
    }

    @Test
    void wholeStandardInputAsOneMessageShownVerboseAndPrettyJson() {
        String queue = queue("json");
        Cli.Result sent = Cli.runWithInput("{\"order\":42,\"items\":[\"tea\"]}",
                broker.args("send", broker.tcpUrl(), queue, "--content-type", "application/json", "-H", "x-trace=abc"));
        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        Cli.Result got = Cli.run(broker.args("subscribe", broker.tcpUrl(), queue, "-n", "1", "--json", "-v"));
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.out()).contains("destination: " + queue, "content-type: application/json", "x-trace: abc",
                "{\n  \"order\": 42,\n  \"items\": [\n    \"tea\"\n  ]\n}");
    }

    @Test
    void clientAcksConsumeAndMaxWaitFailsWhenNothingComes() {
        String queue = queue("ack");
        assertThat(Cli.run(broker.args("send", broker.tcpUrl(), queue, "once")).exitCode()).isZero();
        Cli.Result first = Cli.run(broker.args("subscribe", broker.tcpUrl(), queue, "-n", "1", "--ack", "client-individual"));
        assertThat(first.out()).as(first.toString()).isEqualTo("once\n");
        Cli.Result second = Cli.run(broker.args("subscribe", broker.tcpUrl(), queue, "-n", "1", "--max-wait", "500ms"));
        assertThat(second.exitCode()).as("the message was acknowledged, so nothing is left").isEqualTo(Exit.FAILURE);
        assertThat(second.err()).contains("only 0 of 1 messages arrived within 500 ms");
    }

    @Test
    void subscribeTailsATopicWhileSomeoneSends() throws Exception {
        String topic = "/topic/cli-news-" + RunId.next();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> JstompCommand.commandLine(
                new PrintWriter(out, true), new PrintWriter(err, true), InputStream.nullInputStream())
                .execute(broker.args("subscribe", broker.wsUrl(), topic, "--count", "2")));
        // The SUBSCRIBE receipt has come back once this line is out: from then on the topic reaches us.
        await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("Subscribed to " + topic));
        assertThat(Cli.run(broker.args("send", broker.tcpUrl(), topic, "first")).exitCode()).isZero();
        assertThat(Cli.run(broker.args("send", broker.tcpUrl(), topic, "second")).exitCode()).isZero();
        assertThat(tail.get(10, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("first\nsecond\n");
    }

    @Test
    void withoutUrlBothUseAnEmbeddedBroker() {
        Cli.Result r = Cli.run("send", "/queue/solo", "hello");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).hasSize(2);
        assertThat(r.outLines().get(0)).startsWith("Started embedded Artemis");
        assertThat(r.outLines().get(1)).isEqualTo("Sent 1 message to /queue/solo");
    }
}
