package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompFrame;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.it.FaultKit.Wire;
import dev.jstomp.test.EmbeddedStompBroker;

/**
 * Failover past dead nodes, on both transports: one URL refuses connections, one accepts TCP and never
 * answers (neither the WebSocket upgrade nor CONNECT), then a live broker. Each dead one is given up within
 * the connect timeout and the client moves on; the same after the live connection is cut. (That a dead node's
 * own back-off does not delay the live one is FailoverBackoffFakeServerTest in client-core.)
 */
class DeadNodeFailoverIT {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1_000);
    private static final long RECONNECT_DELAY = 200;
    /** Two reconnect delays, one connect timeout, and room for a loaded CI machine. */
    private static final long BOUND_MS = CONNECT_TIMEOUT.toMillis() + 2 * RECONNECT_DELAY + 2_000;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Wire.class)
    void refusingAndSilentNodesAreSkippedWithinTheConnectTimeout(Wire wire) throws Exception {
        List<StompError> errors = new CopyOnWriteArrayList<>();
        try (SilentServer silent = new SilentServer();
                FaultInjectingProxy live = new FaultInjectingProxy(broker.port())) {
            String refusingUrl = url(wire, refusingPort());
            String silentUrl = url(wire, silent.port());
            String liveUrl = wire.url(live);
            try (StompClient client = Stomp.client(List.of(refusingUrl, silentUrl, liveUrl))) {
                client.connectTimeout(CONNECT_TIMEOUT).reconnectDelay(RECONNECT_DELAY).reconnectMaxDelay(10_000);
                CompletableFuture<StompFrame> connected = new CompletableFuture<>();
                long t0 = System.nanoTime();
                client.connect(broker.connectHeaders(), connected::complete, errors::add);
                connected.get(BOUND_MS + 5_000, TimeUnit.MILLISECONDS);
                long firstMillis = (System.nanoTime() - t0) / 1_000_000;

                assertThat(client.connectedTo()).isEqualTo(liveUrl);
                assertThat(errors).as("one failure per dead node").hasSize(2);
                assertThat(errors.get(0).cause()).isInstanceOf(StompConnectionException.class);
                assertThat(errors.get(0).message()).contains(String.valueOf(portOf(refusingUrl)));
                assertThat(errors.get(1).cause()).as("the silent node").isInstanceOf(StompTimeoutException.class);
                assertThat(errors.get(1).message()).contains(String.valueOf(silent.port()));
                assertThat(firstMillis).as("ms to reach the live node past both").isLessThan(BOUND_MS);

                // The live connection is cut: back around the list, past both dead nodes again, to the live one.
                errors.clear();
                long t1 = System.nanoTime();
                live.cutAll();
                waitAtMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.RECONNECTING);
                waitAtMost(Duration.ofMillis(BOUND_MS + 5_000)).until(client::connected);
                long againMillis = (System.nanoTime() - t1) / 1_000_000;
                System.out.printf("DeadNodeFailoverIT %s: live reached in %d ms, after a cut in %d ms (%d dead "
                        + "nodes tried)%n", wire, firstMillis, againMillis, errors.size() - 1);
                assertThat(client.connectedTo()).isEqualTo(liveUrl);
                assertThat(againMillis).as("ms to reach the live node again").isLessThan(BOUND_MS);
            }
        }
    }

    private static String url(Wire wire, int port) {
        return wire.webSocket() ? "ws://127.0.0.1:" + port + "/stomp" : "tcp://127.0.0.1:" + port;
    }

    private static int refusingPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort(); // closed again: nothing listens there
        }
    }

    private static int portOf(String url) {
        String rest = url.substring(url.lastIndexOf(':') + 1);
        int slash = rest.indexOf('/');
        return Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash));
    }

    /** Accepts TCP connections and never writes a byte (a hung node); closes them all at the end. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::accept, "silent-node");

        SilentServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
