package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jstomp.FakeStompServer.Mode;

/**
 * Many TCP connections of one JVM share a few event loops, and frames are batched per writing thread: every
 * connection's broker must get exactly its own frames, in the order they were sent, whether they went in a
 * batch or, with a large body, on their own.
 */
class SharedEventLoopFakeServerTest {

    private static final int CLIENTS = 6;
    private static final int FRAMES = 300;

    private FakeStompServer server;
    private final List<StompClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(StompClient::close);
        FakeStompServer.shutdown(server, null);
    }

    @Test
    void concurrentSendersOnSharedEventLoopsEachReachTheirOwnConnectionInOrder() throws Exception {
        server = FakeStompServer.start(Mode.TCP, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        List<FakePeer> peers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            StompClient client = server.client();
            client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
            clients.add(client);
            peers.add(server.awaitPeer());
        }

        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            StompClient client = clients.get(i);
            String destination = "/queue/c" + i;
            senders.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; n < FRAMES; n++) {
                    client.send(destination, Map.of("n", Integer.toString(n)), body(destination, n));
                }
            }));
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (FakePeer peer : peers) {
            await().atMost(FakeStompServer.WAIT).until(() -> sends(peer).size() >= FRAMES);
            List<ClientFrame> sends = sends(peer);
            String destination = sends.get(0).header("destination");
            assertThat(sends).hasSize(FRAMES);
            for (int n = 0; n < FRAMES; n++) {
                ClientFrame frame = sends.get(n);
                assertThat(frame.header("destination")).isEqualTo(destination);
                assertThat(frame.header("n")).isEqualTo(Integer.toString(n));
                assertThat(frame.body()).isEqualTo(body(destination, n));
            }
        }
        assertThat(peers.stream().map(peer -> sends(peer).get(0).header("destination")).distinct()).hasSize(CLIENTS);
    }

    /** Mostly small bodies; every 40th past the size that gets a buffer of its own. */
    private static byte[] body(String destination, int n) {
        byte[] mark = (destination + "#" + n).getBytes(StandardCharsets.UTF_8);
        if (n % 40 != 39) {
            return mark;
        }
        byte[] large = Arrays.copyOf(mark, 70 * 1024);
        Arrays.fill(large, mark.length, large.length, (byte) ('a' + n % 26));
        return large;
    }

    private static List<ClientFrame> sends(FakePeer peer) {
        return peer.received().stream().filter(frame -> frame.command().equals("SEND")).toList();
    }
}
