package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;

import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.it.FaultInjectingProxy.Direction;

/**
 * Over WebSocket jstomp coalesces the frames queued for a writer run into one message, and cuts only frames
 * larger than the message size (64 KiB). The brokers must read those messages as one stream: this floods each
 * with frames back to back (with receipts, which always go through the writer thread), through a proxy that
 * counts the WebSocket messages, and checks every frame arrives whole, in order and receipted.
 */
@DisplayName("WebSocket batching")
class WebSocketBatchingIT {

    private static final int FRAMES = 5_000;
    private static final int LARGE_EVERY = 1_000;
    private static final int LARGE_SIZE = 100 * 1024 + 7;

    @MatrixTest(value = "5,000 frames with receipts back to back, mixed bodies and a few over 64 KiB, coalesced into fewer"
            + " WebSocket messages, arrive whole and in order", only = {Target.ARTEMIS_WS, Target.RABBITMQ_WS},
            otherwise = "WebSocket only")
    void framesSentBackToBackArriveWholeAndInOrder(BrokerTarget target) throws Exception {
        // Web-STOMP delivers MESSAGE frames as text WebSocket messages (ws_frame = text), which non-UTF-8
        // bodies would make invalid (MessagingIT shows the 1007): text bodies there, bytes on Artemis.
        boolean binaryBodies = target.target != Target.RABBITMQ_WS;
        List<byte[]> bodies = bodies(binaryBodies);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(target.port())) {
            List<StompError> errors = new CopyOnWriteArrayList<>();
            StompClient client = target.clientVia(proxy.port());
            if (target.target == Target.RABBITMQ_WS) {
                // RabbitMQ 3.10's Web-STOMP handler can resume its heart-beat monitor after flow control without
                // having paused it, and the monitor exits ({unexpected_message,resume} in its log), dropping the
                // connection (1006). A flood like this one trips it with or without coalescing (2 runs in 3 with
                // one message per frame); without heart-beats there is no monitor to trip.
                client.heartbeat().outgoing(0).incoming(0);
            }
            client.connect(target.connectHeaders(), frame -> { }, errors::add);
            await().atMost(Timeouts.WAIT).until(client::connected);
            String destination = target.queue("batching");
            List<StompMessage> received = new CopyOnWriteArrayList<>();
            Receipts.subscribe(client, destination, received::add);
            long messagesBefore = proxy.webSocketMessages(Direction.UPSTREAM);

            // With receipts: a plain send that finds the writer idle is written at once, on its own thread, so a
            // burst of them may leave one message per frame; frames queued for the writer thread are coalesced.
            List<CompletableFuture<StompFrame>> receipts = new ArrayList<>(FRAMES);
            for (int i = 0; i < FRAMES; i++) {
                receipts.add(client.sendWithReceipt(destination, Map.of("x-seq", Integer.toString(i)), bodies.get(i)));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= FRAMES || !errors.isEmpty());
            assertThat(errors).as("the connection stayed up").isEmpty();
            CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long messages = proxy.webSocketMessages(Direction.UPSTREAM) - messagesBefore;
            for (int i = 0; i < FRAMES; i++) {
                StompMessage message = received.get(i);
                assertThat(message.header("x-seq")).as("message %d in order", i).isEqualTo(Integer.toString(i));
                assertThat(message.binaryBody()).as("body %d", i).isEqualTo(bodies.get(i));
            }
            Thread.sleep(Timeouts.QUIET.toMillis());
            assertThat(received).as("nothing more, nothing twice").hasSize(FRAMES);
            int largeParts = (FRAMES / LARGE_EVERY) * (LARGE_SIZE / (64 * 1024) + 1);
            System.out.printf("%s: %d frames (%d large) went in %d WebSocket messages%n",
                    target, FRAMES, FRAMES / LARGE_EVERY, messages);
            // One message per frame would be 5,000 plus the large frames' extra parts.
            assertThat(messages).as("WebSocket messages for %d frames", FRAMES).isLessThan(FRAMES / 2);
            assertThat(messages).isGreaterThanOrEqualTo(largeParts);
            client.close(); // while the proxy is still there to carry the DISCONNECT
        }
    }

    /** Frame i's body: ASCII, multi-byte UTF-8, empty, bytes that are not UTF-8 (with NULs), and every 1,000th one large. */
    private static List<byte[]> bodies(boolean binary) {
        Random random = new Random(42);
        List<byte[]> bodies = new ArrayList<>(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            byte[] body;
            if (i % LARGE_EVERY == LARGE_EVERY / 2) {
                body = binary ? randomBytes(random, LARGE_SIZE) : text(random, LARGE_SIZE);
            } else {
                body = switch (i % 4) {
                    case 0 -> ("plain " + i).getBytes(StandardCharsets.UTF_8);
                    case 1 -> ("Grüße, 世界 🌍 " + i).getBytes(StandardCharsets.UTF_8);
                    case 2 -> new byte[0];
                    default -> binary ? randomBytes(random, 1 + random.nextInt(300)) : text(random, 1 + random.nextInt(300));
                };
            }
            bodies.add(body);
        }
        return bodies;
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        bytes[0] = 0;
        bytes[size - 1] = (byte) 0xff;
        return bytes;
    }

    /** UTF-8 text of about {@code size} bytes. */
    private static byte[] text(Random random, int size) {
        StringBuilder text = new StringBuilder(size);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 äöü€";
        while (text.length() < size) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
