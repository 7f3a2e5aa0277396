package dev.jstomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.jstomp.FakeStompServer.Mode;

/** ACK and NACK as the negotiated version wants them, and transactions, seen from the broker's side. */
class AckFakeServerTest {

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    static Stream<Arguments> modesAndVersions() {
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            cases.add(Arguments.of(mode, "1.1"));
            cases.add(Arguments.of(mode, "1.2"));
        }
        return cases.stream();
    }

    /**
     * Connects with the given version; the broker sends one MESSAGE (with an {@code ack} header in 1.2,
     * as brokers do for client acks) once it has the SUBSCRIBE. Returns the broker's peer.
     */
    private FakePeer connectAndDeliver(Mode mode, String version, Map<String, String> subscribeHeaders,
            Consumer<StompMessage> callback) throws Exception {
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect(version, "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            String ack = version.equals("1.2") && !"auto".equals(subscribeHeaders.getOrDefault("ack", "auto"))
                    ? "ack:ack-77" : "x-no-ack:true";
            peer.send(FakeStompServer.messageFrame(id, "m-1", "hello", ack));
        });
        Recorder recorder = new Recorder();
        client = server.client().receiptTimeout(Duration.ofMillis(500));
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        assertThat(recorder.awaitConnected().header("version")).isEqualTo(version);
        FakePeer peer = server.awaitPeer();
        client.subscribe("/queue/test", callback, subscribeHeaders);
        return peer;
    }

    @ParameterizedTest(name = "{0} STOMP {1}")
    @MethodSource("modesAndVersions")
    void ackCarriesTheIdsTheVersionWants(Mode mode, String version) throws Exception {
        FakePeer peer = connectAndDeliver(mode, version, Map.of("ack", "client-individual", "id", "s-9"),
                StompMessage::ack);

        ClientFrame ack = peer.awaitReceived("ACK");

        if (version.equals("1.2")) {
            assertThat(ack.header("id")).isEqualTo("ack-77");
            assertThat(ack.header("message-id")).isNull();
        } else {
            assertThat(ack.header("message-id")).isEqualTo("m-1");
            assertThat(ack.header("subscription")).isEqualTo("s-9");
            assertThat(ack.header("id")).isNull();
        }
    }

    @ParameterizedTest(name = "{0} STOMP {1}")
    @MethodSource("modesAndVersions")
    void nackCarriesTheIdsTheVersionWants(Mode mode, String version) throws Exception {
        FakePeer peer = connectAndDeliver(mode, version, Map.of("ack", "client", "id", "s-9"),
                StompMessage::nack);

        ClientFrame nack = peer.awaitReceived("NACK");

        assertThat(version.equals("1.2") ? nack.header("id") : nack.header("message-id"))
                .isEqualTo(version.equals("1.2") ? "ack-77" : "m-1");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void ackOfAnAutoAckMessageThrowsAndSendsNothing(Mode mode) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        FakePeer peer = connectAndDeliver(mode, "1.2", Map.of(), message -> {
            try {
                message.ack();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });

        assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(StompException.class).hasMessageContaining("ack:auto");
        client.send("/queue/marker");
        assertThat(peer.next("SEND").header("destination")).isEqualTo("/queue/marker");
        assertThat(peer.received()).extracting(ClientFrame::command).doesNotContain("ACK");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void transactionsHaveUniqueIdsAndFramesCarryThem(Mode mode) throws Exception {
        BlockingQueue<StompMessage> messages = new LinkedBlockingQueue<>();
        FakePeer peer = connectAndDeliver(mode, "1.2", Map.of("ack", "client"), messages::add);
        StompMessage message = messages.poll(5, TimeUnit.SECONDS);

        Transaction first = client.begin();
        Transaction second = client.begin();
        Transaction named = client.begin("my-tx");
        message.ack(Map.of("transaction", first.id()));
        client.send("/queue/test", Map.of("transaction", second.id()), "in a transaction");
        first.commit();
        second.abort();
        named.commit();

        assertThat(first.id()).isNotEqualTo(second.id()).isNotBlank();
        assertThat(named.id()).isEqualTo("my-tx");
        assertThat(peer.next("BEGIN").header("transaction")).isEqualTo(first.id());
        assertThat(peer.next("BEGIN").header("transaction")).isEqualTo(second.id());
        assertThat(peer.next("BEGIN").header("transaction")).isEqualTo("my-tx");
        ClientFrame ack = peer.next("ACK");
        assertThat(ack.header("id")).isEqualTo("ack-77");
        assertThat(ack.header("transaction")).isEqualTo(first.id());
        assertThat(peer.next("SEND").header("transaction")).isEqualTo(second.id());
        assertThat(peer.next("COMMIT").header("transaction")).isEqualTo(first.id());
        assertThat(peer.next("ABORT").header("transaction")).isEqualTo(second.id());
        assertThat(peer.next("COMMIT").header("transaction")).isEqualTo("my-tx");
        assertThatThrownBy(first::commit).isInstanceOf(IllegalStateException.class);
        // An ended transaction's id may be used again.
        assertThatCode(() -> client.begin(second.id()).abort()).doesNotThrowAnyException();
    }
}
