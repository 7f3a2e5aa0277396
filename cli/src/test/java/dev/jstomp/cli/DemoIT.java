package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DemoIT {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @Test
    void playsTheChatRoomOnItsOwnEmbeddedBroker() {
        Cli.Result r = Cli.run("demo");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        List<String> lines = r.outLines();
        assertThat(lines.get(0)).matches("Started embedded Artemis 2\\.\\d+\\.\\d+ on 127\\.0\\.0\\.1:\\d+ "
                + "\\(STOMP over TCP and WebSocket; user jstomp\\)");
        assertTranscript(r.out());
        assertThat(r.out()).contains("alice connected over WebSocket", "bob connected over WebSocket",
                "carol connected over TCP");
    }

    @Test
    void runsAgainstAGivenBroker() {
        Cli.Result r = Cli.run(broker.args("demo", broker.wsUrl(), broker.tcpUrl()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("Started embedded Artemis");
        assertTranscript(r.out());
        // A second run sees none of the first run's jobs: each run has its own work queue.
        Cli.Result again = Cli.run(broker.args("demo", broker.wsUrl(), broker.tcpUrl()));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertTranscript(again.out());
    }

    @Test
    void failsWithOneLineWhenTheBrokerRefusesTheLogin() {
        Cli.Result r = Cli.run("demo", broker.wsUrl(), "--login", "jstomp", "--passcode", "nope");
        assertThat(r.exitCode()).isEqualTo(Exit.FAILURE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("jstomp demo: demo failed while alice was joining: ").contains("refused CONNECT");
    }

    private static void assertTranscript(String out) {
        assertThat(out).containsSubsequence(
                "* alice joined the room", "seen by alice\n",
                "* bob joined the room", "seen by alice, bob\n",
                "* carol joined the room", "seen by alice, bob, carol\n",
                "alice (WebSocket): Hi both!", "carol (TCP): Hello from the TCP side",
                "bob begins tx-1", "(WebSocket, tx-1): Pizza at 7?", "seen by alice, bob, carol",
                "(WebSocket, tx-1): I'll bring the drinks.",
                "bob begins tx-2, sends \"Actually, let's skip Friday.\" in it and aborts",
                "bob (WebSocket): Never mind, Friday is on!", "the aborted message reached nobody",
                "alice queues 3 jobs: book-table, buy-drinks, send-invites",
                "carol takes book-table: done, ACK",
                "carol takes buy-drinks: can't do it, NACK",
                "* carol left the room", "seen by alice, bob\n",
                "bob takes send-invites (again: carol left without acknowledging it): done, ACK",
                "bob takes wrap-up: done, ACK",
                "buy-drinks did not come back: the broker (ActiveMQ-Artemis/",
                "* bob left the room", "seen by alice\n",
                "* alice left the room", "seen by nobody (the room is empty)",
                "Demo complete: 3 users (2 over WebSocket, 1 over TCP); 12 room messages reached 27 inboxes in order");
        assertThat(out).doesNotContain("Actually, let's skip Friday.  ").doesNotContain("seen by alice, bob, carol, ");
    }
}
