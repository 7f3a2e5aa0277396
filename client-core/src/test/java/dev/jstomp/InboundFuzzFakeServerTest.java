package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;
import dev.jstomp.FrameFuzzer.Case;
import dev.jstomp.FrameFuzzer.Expected;

/**
 * The whole inbound path under fuzz, over TCP and WebSocket: a scripted broker answers CONNECT and
 * SUBSCRIBE, then sends a batch of generated frames (well-formed MESSAGEs for the subscription, other
 * well-formed frames, broken ones, garbage) in random pieces, then closes. The client, reconnecting after
 * every loss, must report each failure as a {@link StompError} with a {@link StompException} cause and a
 * message, deliver every well-formed MESSAGE it delivers intact, never hang, and still work at the end:
 * a good MESSAGE after hundreds of broken connections arrives. The seed is printed
 * ({@code -Djstomp.fuzz.seed=N}; {@code -Djstomp.fuzz.connections=N} for more).
 */
class InboundFuzzFakeServerTest {

    private static final int LIMIT = 16 * 1024;
    private static final int CONNECTIONS = Integer.getInteger("jstomp.fuzz.connections", 300);
    private static final long SEED = Long.getLong("jstomp.fuzz.seed", System.nanoTime());

    private FakeStompServer server;
    private StompClient client;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fuzzedBrokerFramesAreReportedClearlyAndTheClientRecovers(Mode mode) throws Exception {
        FrameFuzzer fuzzer = new FrameFuzzer(SEED + mode.ordinal(), LIMIT);
        Map<String, byte[]> sentMessages = new ConcurrentHashMap<>();
        AtomicInteger served = new AtomicInteger();
        AtomicLong cases = new AtomicLong();
        List<String> delivered = new CopyOnWriteArrayList<>();
        List<String> corrupted = new CopyOnWriteArrayList<>();
        List<StompError> errors = new CopyOnWriteArrayList<>();
        AtomicLong debugLines = new AtomicLong();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long t0 = System.nanoTime();

        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String subscription = peer.next("SUBSCRIBE").header("id");
            int connection = served.incrementAndGet();
            if (connection > CONNECTIONS) {
                peer.send(FakeStompServer.messageFrame(subscription, "final", "good frames still work"));
                peer.serveReceipts(); // until the client's DISCONNECT
                return;
            }
            List<byte[]> pieces = new ArrayList<>();
            synchronized (fuzzer) {
                for (int k = 1 + fuzzer.random().nextInt(8); k > 0; k--) {
                    Case generated = fuzzer.random().nextInt(3) == 0
                            ? messageFor(fuzzer, subscription, connection + "-" + k, sentMessages) : fuzzer.next();
                    cases.incrementAndGet();
                    pieces.addAll(fuzzer.chunks(generated.bytes(), 64 * 1024));
                }
            }
            for (byte[] piece : pieces) {
                if (peer.isClosed()) {
                    break;
                }
                peer.sendBytes(piece);
            }
            peer.close();
        });
        client = server.client().maxFrameSize(LIMIT).reconnectDelay(5).reconnectMaxDelay(20)
                .connectTimeout(Duration.ofSeconds(5)).debug(line -> debugLines.incrementAndGet());
        client.heartbeat().outgoing(0).incoming(0);
        client.connect(Map.of(), frame -> { }, errors::add);
        await().atMost(Duration.ofSeconds(10)).until(client::connected);
        client.subscribe("/queue/fuzz", message -> {
            String id = message.header("message-id");
            byte[] sent = id == null ? null : sentMessages.get(id);
            if ("final".equals(id)) {
                delivered.add(id);
            } else if (sent == null || !java.util.Arrays.equals(sent, message.binaryBody())) {
                corrupted.add(id + ": " + message.binaryBody().length + " bytes");
            } else {
                delivered.add(id);
            }
        }, Map.of("id", "fuzz"));

        await().atMost(Duration.ofSeconds(120)).until(() -> delivered.contains("final"));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Integer> causes = new TreeMap<>();
        for (StompError error : errors) {
            causes.merge(error.cause() == null ? "none" : error.cause().getClass().getSimpleName(), 1, Integer::sum);
        }
        System.out.printf("InboundFuzzFakeServerTest %s: seed %d, %d connections, %d generated cases, %d MESSAGEs"
                + " delivered intact, %d errors reported %s, %d debug lines, %d ms%n", mode, SEED, served.get(),
                cases.get(), delivered.size() - 1, errors.size(), causes, debugLines.get(), millis);

        assertThat(corrupted).as("MESSAGEs delivered with a body other than the one sent").isEmpty();
        assertThat(errors).as("errors reported").allSatisfy(error -> {
            assertThat(error.message()).isNotBlank();
            assertThat(error.cause()).isInstanceOf(StompException.class);
            if (error.cause() instanceof StompErrorFrameException) {
                assertThat(error.frame()).isNotNull();
                assertThat(error.frame().command()).isEqualTo("ERROR");
            }
        });
        assertThat(errors).as("every broken connection was reported").hasSizeGreaterThanOrEqualTo(CONNECTIONS / 4);
        client.close();
        server.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                ManagementFactory.getThreadMXBean().getThreadCount()).as("live threads after close")
                .isLessThanOrEqualTo(threadsBefore + 10));
    }

    /** A well-formed MESSAGE for the subscription, with random extra headers and body. */
    private static Case messageFor(FrameFuzzer fuzzer, String subscription, String id, Map<String, byte[]> sent) {
        Expected random;
        do {
            random = fuzzer.randomFrame();
        } while (!random.command().equals("MESSAGE"));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("subscription", subscription));
        headers.add(Map.entry("message-id", id));
        headers.add(Map.entry("destination", "/queue/fuzz"));
        headers.addAll(random.headers());
        Expected message = new Expected("MESSAGE", headers, random.body());
        sent.put(id, random.body());
        byte[] bytes = fuzzer.encode(message, fuzzer.random().nextBoolean());
        return new Case("MESSAGE " + id + " " + new String(bytes, 0, Math.min(20, bytes.length), StandardCharsets.UTF_8),
                bytes, true, List.of(message));
    }
}
