package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.sun.net.httpserver.HttpServer;

/** Input that reaches the network and fails there: one clear line, exit 1, no stack trace, no hang. */
class BadInputIT {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    private static HttpServer http;

    @BeforeAll
    static void startHttpServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] page = "<html>not STOMP</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stopHttpServer() {
        http.stop(0);
    }

    private static Cli.Result runBounded(String... args) {
        long start = System.nanoTime();
        Cli.Result r = Cli.run(args);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no hang: " + r).isLessThan(Duration.ofSeconds(12));
        return r;
    }

    private static void assertOneLineFailure(Cli.Result r, String... expected) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(Exit.FAILURE);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).as(r.toString()).contains(expected).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void unreachableHost() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertOneLineFailure(runBounded("send", "tcp://127.0.0.1:" + closedPort, "/queue/a", "x"), "connection refused");
        assertOneLineFailure(runBounded("subscribe", "ws://127.0.0.1:" + closedPort + "/ws", "/queue/a"),
                "ws://127.0.0.1:" + closedPort);
        assertOneLineFailure(runBounded("check", "tcp://no-such-host.invalid:61613", "--timeout", "3s"),
                "no-such-host.invalid");
    }

    @Test
    void refusedCredentials() {
        Cli.Result r = runBounded("send", broker.tcpUrl(), "/queue/a", "x", "--login", broker.user(),
                "--passcode", "Wrong-Passcode-42", "--debug");
        assertOneLineFailure(filterFrames(r), "refused CONNECT", "Security Error", "check login, passcode");
        assertThat(r.out() + r.err()).as("the passcode is never shown").doesNotContain("Wrong-Passcode-42");
        assertThat(r.err()).as("--debug showed the CONNECT, redacted").contains("passcode:***");
    }

    @Test
    void brokerThatDoesNotSpeakStomp() {
        int port = http.getAddress().getPort();
        assertOneLineFailure(runBounded("send", "tcp://127.0.0.1:" + port, "/queue/a", "x", "--timeout", "3s"),
                "127.0.0.1:" + port);
        assertOneLineFailure(runBounded("send", "ws://127.0.0.1:" + port + "/", "/queue/a", "x", "--timeout", "3s"),
                "ws://127.0.0.1:" + port);
        assertOneLineFailure(runBounded("check", "ws://127.0.0.1:" + port + "/", "--timeout", "3s"),
                "ws://127.0.0.1:" + port);
    }

    @Test
    void brokerThatNeverAnswersTimesOut() throws IOException {
        // Accepts the connection and says nothing: only --timeout ends the wait.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (var socket = silent.accept()) {
                    socket.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Cli.Result r = runBounded("send", "tcp://127.0.0.1:" + silent.getLocalPort(), "/queue/a", "x",
                    "--timeout", "1500ms");
            assertOneLineFailure(r, "No CONNECTED frame", "within 1500 ms");
        }
    }

    @Test
    void debugShowsEveryFrameOnStandardError() {
        Cli.Result r = runBounded(broker.args("send", broker.tcpUrl(), "/queue/debugged", "traced", "--debug"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Sent 1 message to /queue/debugged\n");
        assertThat(r.err()).containsSubsequence("[send] >>> CONNECT", "passcode:***", "[send] <<< CONNECTED",
                "[send] >>> SEND", "destination:/queue/debugged", "traced", "[send] >>> DISCONNECT", "[send] <<< RECEIPT");
        assertThat(r.err()).doesNotContain(broker.password());
    }

    @Test
    void tlsToAPlainPortFailsTheHandshake() {
        // stomp+ssl:// against the broker's plain STOMP port: the TLS handshake cannot succeed.
        Cli.Result r = runBounded(broker.args("send", "stomp+ssl://127.0.0.1:" + broker.port(), "/queue/a", "x",
                "--timeout", "3s"));
        assertOneLineFailure(r, "127.0.0.1:" + broker.port(), "TLS");
        assertThat(r.err().length()).isLessThan(450);
    }

    @Test
    void forbiddenDestinationGetsTheBrokersError() {
        Cli.Result r = runBounded(broker.args("send", broker.tcpUrl(), "/queue/forbidden.cli", "x"));
        assertOneLineFailure(r, "sent ERROR");
    }

    @Test
    void receiptThatNeverComesFails() {
        // Artemis answers a forbidden SEND with ERROR instead of the RECEIPT asked for: --receipt must fail.
        Cli.Result r = runBounded(broker.args("send", broker.tcpUrl(), "/queue/forbidden.cli", "x", "--receipt"));
        assertOneLineFailure(r, "ERROR");
    }

    /** Keeps only the error lines of a --debug run (frames go to standard error too). */
    private static Cli.Result filterFrames(Cli.Result r) {
        String errors = r.err().lines().filter(line -> line.startsWith("jstomp ")).reduce("", (a, b) -> a + b + "\n");
        return new Cli.Result(r.exitCode(), r.out(), errors);
    }
}
