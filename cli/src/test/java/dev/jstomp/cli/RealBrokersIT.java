package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jstomp check} against the real brokers CI starts (.ci/brokers.sh: RabbitMQ and ActiveMQ Classic on
 * loopback). Skipped when they are not running, unless {@code -Djstomp.requireBrokers=true}. What each
 * broker fails is documented in the expectations below, so a change in either shows up here.
 */
class RealBrokersIT {

    private static final Pattern ROW = Pattern.compile("^(.{31}) (PASS|FAIL|SKIP) +\\d+ ms  (.*)$");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // broker           | url                        | login | failures expected (by check name)
        "RabbitMQ STOMP     | tcp://127.0.0.1:61613      | guest | ",
        // Web-STOMP closes without the DISCONNECT receipt, and sends bodies in text frames (ws_frame = text).
        "RabbitMQ Web-STOMP | ws://127.0.0.1:15674/ws    | guest | binary body with NUL;DISCONNECT receipt",
        // NACK in client mode is not cumulative: only the NACKed message goes.
        "ActiveMQ Classic   | tcp://127.0.0.1:61623      |       | nack (client, cumulative)",
    })
    void checkTellsWhatEachBrokerDoes(String broker, String url, String login, String failures) {
        int port = java.net.URI.create(url).getPort();
        assumeTrue(brokersRequired() || listening(port), broker + " is not running on port " + port);
        List<String> args = new ArrayList<>(List.of("check", url, "--timeout", "10s"));
        if (login != null) {
            args.addAll(List.of("--login", login, "--passcode", login, "--host", "/"));
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        List<String> failed = new ArrayList<>();
        int rows = 0;
        for (String line : r.outLines()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows++;
                if (m.group(2).equals("FAIL")) {
                    failed.add(m.group(1).strip());
                }
            }
        }
        assertThat(rows).as(r.toString()).isEqualTo(Checklist.all().size());
        List<String> expected = failures == null ? List.of() : List.of(failures.split(";"));
        assertThat(failed).as(r.toString()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(r.exitCode()).isEqualTo(expected.isEmpty() ? Exit.OK : Exit.FAILURE);
    }

    @org.junit.jupiter.api.Test
    void aMissingQueueGetsTheBrokersWordsOnOneLine() {
        assumeTrue(brokersRequired() || listening(61613), "RabbitMQ is not running");
        Cli.Result r = Cli.run("subscribe", "tcp://127.0.0.1:61613", "/amq/queue/jstomp-cli-missing-" + RunId.next(),
                "--login", "guest", "--passcode", "guest", "--host", "/");
        assertThat(r.exitCode()).isEqualTo(Exit.FAILURE);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("sent ERROR: not_found", "NOT_FOUND - no queue");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Under CI (CI=true) or -Djstomp.requireBrokers=true a missing broker fails the test instead of skipping it. */
    private static boolean brokersRequired() {
        return Boolean.getBoolean("jstomp.requireBrokers") || "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
