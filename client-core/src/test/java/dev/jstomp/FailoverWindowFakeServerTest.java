package dev.jstomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Within the first 2 s of an outage (the time a cluster takes to fail over) a refusing node is tried again
 * after one to two reconnectDelays, not after a doubling back-off, so a node that comes back then is
 * reached within about two reconnectDelays; after the window the back-off grows again. (Doubling from the
 * first failure waits 0.8-1.6 s after the third failure, which comes at most 1.4 s in with reconnectDelay
 * 200 ms: so this fails with a back-off that doubles from the start.)
 */
class FailoverWindowFakeServerTest {

    private static final long DELAY_MS = 200;
    /** Time a refused attempt itself may take on a loaded machine, on top of its wait. */
    private static final long SLACK_MS = 300;
    private static final long WINDOW_MS = 2_000;
    /** At most two reconnectDelays and the slack between two failures within the window. */
    private static final long BOUND_MS = 2 * DELAY_MS + SLACK_MS;

    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(null, client);
    }

    @Test
    void backOffDoesNotGrowWithinTheFailoverWindowAndGrowsAfterIt() throws Exception {
        List<Long> failures = new CopyOnWriteArrayList<>();
        client = Stomp.client(List.of("tcp://127.0.0.1:" + refusingPort()))
                .reconnectDelay(DELAY_MS).reconnectMaxDelay(30_000);
        long t0 = System.nanoTime();
        client.connect(Map.of(), frame -> { }, error -> failures.add((System.nanoTime() - t0) / 1_000_000));

        // Bounded: failures keep coming until a wait chosen after the window has grown past the in-window bound.
        Waiting.await().atMost(Duration.ofSeconds(15)).until(() -> largestGapAfterWindow(failures) > BOUND_MS);
        client.close();

        List<Long> gapsInWindow = new ArrayList<>();
        for (int i = 1; i < failures.size(); i++) {
            if (failures.get(i - 1) < WINDOW_MS) { // the wait was chosen within the window
                gapsInWindow.add(failures.get(i) - failures.get(i - 1));
            }
        }
        assertThat(gapsInWindow).as("ms between failed attempts within the window (failures at %s ms)", failures)
                .hasSizeGreaterThanOrEqualTo(3).allMatch(gap -> gap <= BOUND_MS);
    }

    private static long largestGapAfterWindow(List<Long> failures) {
        long largest = 0;
        for (int i = 1; i < failures.size(); i++) {
            if (failures.get(i - 1) >= WINDOW_MS) {
                largest = Math.max(largest, failures.get(i) - failures.get(i - 1));
            }
        }
        return largest;
    }

    private static int refusingPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort(); // closed again: nothing listens there
        }
    }
}
