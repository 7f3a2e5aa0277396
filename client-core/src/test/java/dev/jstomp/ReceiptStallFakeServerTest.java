package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/**
 * Receipts that stop coming on a connection that otherwise looks alive (what RabbitMQ 3.10 Web-STOMP does
 * while a quorum queue elects a leader: it drops the publish rejections): with reconnect on, the client
 * ends that connection as failed and opens a new one, where receipts flow again; without, only the future
 * fails and the connection stays.
 */
class ReceiptStallFakeServerTest {

    private FakeStompServer server;
    private StompClient client;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    /** The first connection takes SENDs and never answers them; later ones answer every receipt. */
    private void start(Mode mode) {
        AtomicInteger connection = new AtomicInteger();
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            if (connection.incrementAndGet() == 1) {
                while (!peer.isClosed()) {
                    peer.poll(Duration.ofMillis(100)); // read and drop: a healthy-looking, silent broker
                }
            } else {
                peer.serveReceipts();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void withReconnectAStalledConnectionIsReplacedAndReceiptsFlowOnTheNewOne(Mode mode) throws Exception {
        start(mode);
        client = server.client().receiptTimeout(Duration.ofMillis(400)).reconnectDelay(50);
        client.onStateChange(recorder.onState());
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();

        CompletableFuture<StompFrame> first = client.sendWithReceipt("/queue/stall", Map.of(), "never confirmed");
        CompletableFuture<StompFrame> second = client.sendWithReceipt("/queue/stall", Map.of(), "also not");

        assertFailsWith(first, "No RECEIPT");
        // Failed by its own timeout or, still pending, by the end of the connection the first one's caused.
        assertFailsWith(second, "(No RECEIPT|Receipts stopped coming)");
        StompError error = recorder.awaitError();
        assertThat(error.message()).contains("Receipts stopped coming from", "reconnecting", "Resend");
        assertThat(error.cause()).isInstanceOf(StompTimeoutException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.connected() && server.connections() == 2);
        assertThat(recorder.states).containsSubsequence(ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED);

        StompFrame receipt = client.sendWithReceipt("/queue/stall", Map.of(), "resent").get(5, TimeUnit.SECONDS);
        assertThat(receipt.command()).isEqualTo("RECEIPT");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void withoutReconnectOnlyTheFutureFails(Mode mode) throws Exception {
        start(mode);
        client = server.client().receiptTimeout(Duration.ofMillis(300));
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();

        assertFailsWith(client.sendWithReceipt("/queue/stall", Map.of(), "x"), "No RECEIPT");

        assertThat(client.connected()).isTrue();
        assertThat(server.connections()).isEqualTo(1);
        assertThat(recorder.errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWatchedReceiptThatNeverComesLeavesTheConnectionUp(Mode mode) throws Exception {
        start(mode);
        client = server.client().receiptTimeout(Duration.ofMillis(300)).reconnectDelay(50);
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();

        assertFailsWith(client.watchForReceipt("never-sent"), "No RECEIPT");

        assertThat(client.connected()).isTrue();
        assertThat(server.connections()).isEqualTo(1);
    }

    private static void assertFailsWith(CompletableFuture<StompFrame> future, String text) throws Exception {
        try {
            future.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the receipt future completed");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StompTimeoutException.class).hasMessageFindingMatch(text);
        }
    }
}
