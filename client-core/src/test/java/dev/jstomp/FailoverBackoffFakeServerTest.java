package dev.jstomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jstomp.FakeStompServer.Mode;

/**
 * Each failover URL backs off on its own: four refusing URLs ahead of a live one do not stretch the wait
 * before the live one (with one back-off for all, the fourth delay alone would be 8 x reconnectDelay).
 */
class FailoverBackoffFakeServerTest {

    private static final long DELAY_MS = 400;

    private FakeStompServer server;
    private StompClient client;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    @Test
    void deadUrlsDoNotSlowReconnectingToALiveOne() throws Exception {
        server = FakeStompServer.start(Mode.TCP, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            urls.add("tcp://127.0.0.1:" + refusingPort());
        }
        urls.add(server.url());
        client = Stomp.client(urls).reconnectDelay(DELAY_MS).reconnectMaxDelay(30_000);
        // Timed from the first refusal: the client's first start-up (Netty, class loading) is not the point.
        java.util.concurrent.atomic.AtomicLong firstError = new java.util.concurrent.atomic.AtomicLong();
        client.connect(Map.of(), recorder.onConnect(), error -> {
            firstError.compareAndSet(0, System.nanoTime());
            recorder.onError().accept(error);
        });
        recorder.awaitConnected(Duration.ofSeconds(10));
        long millis = (System.nanoTime() - firstError.get()) / 1_000_000;

        assertThat(recorder.errors).as("one failure reported per dead URL").hasSize(4);
        assertThat(client.connectedTo()).isEqualTo(server.url());
        // Four waits of at most one reconnectDelay each; one shared back-off needs at least
        // 0.5 + 1 + 2 + 4 delays (jitter halves at most) = 7.5 x 400 ms = 3 s.
        assertThat(millis).as("ms until connected to the live URL").isLessThan(4 * DELAY_MS + 1_000);
    }

    /** Each lost connection moves to the next URL in turn (never by chance back to the node just lost). */
    @Test
    void aLostConnectionMovesToTheNextUrlInTurn() throws Exception {
        FakeStompServer.Script dropSoon = peer -> {
            peer.acceptConnect("1.2", "0,0");
            Thread.sleep(50); // scripted server: stays up a moment, then drops the connection
            peer.close();
        };
        try (FakeStompServer a = FakeStompServer.start(Mode.TCP, dropSoon);
                FakeStompServer b = FakeStompServer.start(Mode.TCP, dropSoon)) {
            List<String> connectedTo = new java.util.concurrent.CopyOnWriteArrayList<>();
            client = Stomp.client(List.of(a.url(), b.url())).reconnectDelay(20).reconnectMaxDelay(40);
            client.onStateChange(state -> {
                String url = client.connectedTo();
                if (state == ConnectionState.CONNECTED && url != null) {
                    connectedTo.add(url);
                }
            });
            client.connect(Map.of(), recorder.onConnect(), recorder.onError());
            Waiting.await().atMost(Duration.ofSeconds(10)).until(() -> connectedTo.size() >= 6);
            client.close();
            assertThat(connectedTo.subList(0, 6)).containsExactly(a.url(), b.url(), a.url(), b.url(), a.url(), b.url());
        }
    }

    private static int refusingPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort(); // closed again: nothing listens there
        }
    }
}
