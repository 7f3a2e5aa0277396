package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/** Routing of inbound frames: stray MESSAGEs and RECEIPTs, repeated headers, unsubscribe, subscription ids. */
class MessagingFakeServerTest {

    private FakeStompServer server;
    private StompClient client;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    private void connect(Mode mode, FakeStompServer.Script script) throws InterruptedException {
        server = FakeStompServer.start(mode, script);
        client = server.client().receiptTimeout(Duration.ofMillis(500));
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void strayMessageAndUnaskedReceiptAreIgnored(Mode mode) throws Exception {
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            peer.send(FakeStompServer.messageFrame("no-such-subscription", "m-0", "for nobody"));
            peer.send("RECEIPT\nreceipt-id:nobody-asked\n\n\0");
            peer.send(FakeStompServer.messageFrame(id, "m-1", "for the real one", "foo:first", "foo:second"));
            peer.serveReceipts();
        });
        BlockingQueue<StompMessage> messages = new LinkedBlockingQueue<>();

        client.subscribe("/queue/test", messages::add);

        StompMessage message = messages.poll(5, TimeUnit.SECONDS);
        assertThat(message).isNotNull();
        assertThat(message.body()).isEqualTo("for the real one");
        assertThat(message.header("foo")).as("a repeated header: the first wins").isEqualTo("first");
        assertThat(message.header("message-id")).isEqualTo("m-1");
        assertThat(message.command()).isEqualTo("MESSAGE");
        assertThat(messages).isEmpty();
        assertThat(client.connected()).isTrue();
        assertThat(recorder.errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void inboundHeadersAreUnescapedAndBodiesKeptByteForByte(Mode mode) throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xFF, 0, 'x'};
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            peer.send(FakeStompServer.messageFrame(id, "m-1", "", "weird:a\\cb\\nc\\\\d"));
            byte[] head = ("MESSAGE\nsubscription:" + id + "\nmessage-id:m-2\ndestination:/queue/test\n"
                    + "content-type:application/octet-stream\ncontent-length:" + binary.length + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] frame = Arrays.copyOf(head, head.length + binary.length + 1);
            System.arraycopy(binary, 0, frame, head.length, binary.length);
            peer.sendBytes(frame);
            peer.serveReceipts();
        });
        BlockingQueue<StompMessage> messages = new LinkedBlockingQueue<>();

        client.subscribe("/queue/test", messages::add);

        StompMessage escaped = messages.poll(5, TimeUnit.SECONDS);
        assertThat(escaped.header("weird")).isEqualTo("a:b\nc\\d");
        assertThat(escaped.body()).isEmpty();
        assertThat(escaped.binaryBody()).isEmpty();
        StompMessage bytes = messages.poll(5, TimeUnit.SECONDS);
        assertThat(bytes.binaryBody()).containsExactly(binary);
    }

    /**
     * A WebSocket message may arrive in fragments (a first frame and continuations), which jstomp takes as
     * they come. The cuts fall inside the frame's head, inside a four-byte UTF-8 character of a text
     * message, and inside a binary body; the next frame starts in the last fragment of the first message.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "WEBSOCKET")
    void framesInFragmentedWebSocketMessagesArriveWhole(Mode mode) throws Exception {
        String text = "zu Fuß 🚀 ok";
        byte[] binary = {0, 1, (byte) 0xC3, 0, (byte) 0xFF, 'x', 0};
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            byte[] first = FakeStompServer.messageFrame(id, "m-1", text).getBytes(StandardCharsets.UTF_8);
            byte[] second = FakeStompServer.messageFrame(id, "m-2", "second").getBytes(StandardCharsets.UTF_8);
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            int rocket = indexOf(first, (byte) 0xF0);
            peer.sendFragmented(both, true, 3, rocket + 2, first.length + 5);
            byte[] head = ("MESSAGE\nsubscription:" + id + "\nmessage-id:m-3\ndestination:/queue/test\n"
                    + "content-length:" + binary.length + "\n\n").getBytes(StandardCharsets.UTF_8);
            byte[] frame = Arrays.copyOf(head, head.length + binary.length + 1);
            System.arraycopy(binary, 0, frame, head.length, binary.length);
            peer.sendFragmented(frame, false, 10, head.length + 3, head.length + 4);
            peer.serveReceipts();
        });
        BlockingQueue<StompMessage> messages = new LinkedBlockingQueue<>();

        client.subscribe("/queue/test", messages::add);

        assertThat(messages.poll(5, TimeUnit.SECONDS).body()).isEqualTo(text);
        assertThat(messages.poll(5, TimeUnit.SECONDS).body()).isEqualTo("second");
        StompMessage bytes = messages.poll(5, TimeUnit.SECONDS);
        assertThat(bytes.header("message-id")).isEqualTo("m-3");
        assertThat(bytes.binaryBody()).containsExactly(binary);
        assertThat(recorder.errors).isEmpty();
    }

    /**
     * Sends from several threads at once: over WebSocket a send may be written on its own thread when the
     * writer is idle and queued when it is not, so each thread's frames must still leave in its order, all
     * of them, whichever way each one went.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void sendsFromManyThreadsAllArriveInEachThreadsOrder(Mode mode) throws Exception {
        connect(mode, peer -> peer.acceptConnect("1.2", "0,0"));
        FakePeer peer = server.awaitPeer();
        int threads = 4;
        int each = 500;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    client.send("/queue/" + name, Map.of(), String.valueOf(i));
                }
            });
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join(10_000);
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> peer.received().stream().filter(f -> f.command().equals("SEND")).count() == threads * each);
        Map<String, List<Integer>> byThread = new HashMap<>();
        for (ClientFrame frame : peer.received()) {
            if (frame.command().equals("SEND")) {
                byThread.computeIfAbsent(frame.header("destination"), d -> new ArrayList<>())
                        .add(Integer.parseInt(frame.bodyText()));
            }
        }
        assertThat(byThread).hasSize(threads).allSatisfy((destination, bodies) ->
                assertThat(bodies).containsExactlyElementsOf(IntStream.range(0, each).boxed().toList()));
        assertThat(recorder.errors).isEmpty();
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void unsubscribeSendsUnsubscribeAndStopsDelivery(Mode mode) throws Exception {
        BlockingQueue<String> unsubscribed = new LinkedBlockingQueue<>();
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            peer.send(FakeStompServer.messageFrame(id, "m-1", "before"));
            unsubscribed.add(peer.next("UNSUBSCRIBE").header("id"));
            peer.send(FakeStompServer.messageFrame(id, "m-2", "after"));
            peer.send(FakeStompServer.messageFrame("marker", "m-3", "marker"));
            peer.serveReceipts();
        });
        BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        BlockingQueue<String> markers = new LinkedBlockingQueue<>();
        Subscription subscription = client.subscribe("/queue/test", message -> bodies.add(message.body()));
        client.subscribe("/queue/marker", message -> markers.add(message.body()), Map.of("id", "marker"));
        assertThat(bodies.poll(5, TimeUnit.SECONDS)).isEqualTo("before");

        subscription.unsubscribe();

        assertThat(unsubscribed.poll(5, TimeUnit.SECONDS)).isEqualTo(subscription.id());
        assertThat(markers.poll(5, TimeUnit.SECONDS)).isEqualTo("marker");
        assertThat(bodies).as("nothing after unsubscribe").isEmpty();
        subscription.unsubscribe(); // idempotent
        assertThat(server.scriptFailures()).isEmpty();
    }

    @Test
    void callerChosenIdIsSentAndDuplicateIdIsRejected() throws Exception {
        connect(Mode.TCP, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        Subscription subscription = client.subscribe("/queue/a", message -> { }, Map.of("id", "orders", "ack", "client"));

        ClientFrame subscribe = server.awaitPeer().awaitReceived("SUBSCRIBE");

        assertThat(subscription.id()).isEqualTo("orders");
        assertThat(subscription.destination()).isEqualTo("/queue/a");
        assertThat(subscribe.header("id")).isEqualTo("orders");
        assertThat(subscribe.header("destination")).isEqualTo("/queue/a");
        assertThat(subscribe.header("ack")).isEqualTo("client");
        assertThatThrownBy(
                () -> client.subscribe("/queue/b", message -> { }, Map.of("id", "orders")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orders");
    }

    @Test
    void generatedSubscriptionIdSkipsIdsTheCallerAlreadyUses() throws Exception {
        connect(Mode.TCP, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        client.subscribe("/queue/a", message -> { }, Map.of("id", "sub-1"));

        Subscription generated = client.subscribe("/queue/b", message -> { });

        assertThat(generated.id()).isNotEqualTo("sub-1");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void sendingWhenNotConnectedFailsAtOnce(Mode mode) throws Exception {
        connect(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            peer.serveReceipts();
        });
        FakePeer peer = server.awaitPeer();
        client.disconnectAsync().get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> client.send("/queue/test"))
                .isInstanceOf(StompConnectionException.class).hasMessageContaining("not connected");
        assertThatThrownBy(() -> client.subscribe("/queue/test", m -> { }))
                .isInstanceOf(StompConnectionException.class);
        assertThatThrownBy(client::begin)
                .isInstanceOf(StompConnectionException.class);
        await().atMost(Duration.ofSeconds(2)).until(peer::isClosed);
    }
}
