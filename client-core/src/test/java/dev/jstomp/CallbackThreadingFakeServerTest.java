package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/** Which threads run callbacks, and the per-subscription order and exclusion the API promises. */
class CallbackThreadingFakeServerTest {

    private static final int MESSAGES = 200;

    private FakeStompServer server;
    private StompClient client;
    private ExecutorService userPool;

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
        if (userPool != null) {
            userPool.shutdownNow();
        }
    }

    /** A broker that sends {@code count} numbered MESSAGEs to each subscription, interleaved, as fast as it can. */
    private static FakeStompServer.Script burst(int subscriptions, int count) {
        return peer -> {
            peer.acceptConnect("1.2", "0,0");
            String[] ids = new String[subscriptions];
            for (int s = 0; s < subscriptions; s++) {
                ids[s] = peer.next("SUBSCRIBE").header("id");
            }
            for (int i = 0; i < count; i++) {
                for (String id : ids) {
                    peer.send(FakeStompServer.messageFrame(id, "m-" + i, String.valueOf(i)));
                }
            }
            peer.serveReceipts();
        };
    }

    /** Records order, threads and overlap of one subscription's callback; throws on message 50. */
    private static final class Probe implements Consumer<StompMessage> {
        final List<Integer> order = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        @Override
        public void accept(StompMessage message) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                threads.add(Thread.currentThread().getName());
                int index = Integer.parseInt(message.body());
                order.add(index);
                if (index == 50) {
                    throw new IllegalStateException("a callback that throws must not stop delivery");
                }
            } finally {
                inFlight.decrementAndGet();
            }
        }

        void assertAllInOrderOneAtATime() {
            await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == MESSAGES);
            assertThat(order).containsExactlyElementsOf(IntStream.range(0, MESSAGES).boxed().toList());
            assertThat(maxInFlight.get()).as("callbacks of one subscription overlapped").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void callbacksRunOnCallbackThreadsInOrderOneAtATimeAndSurviveAThrow(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, burst(1, MESSAGES));
        Recorder recorder = new Recorder();
        client = server.client().onStateChange(recorder.onState());
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
        Probe probe = new Probe();

        client.subscribe("/queue/test", probe);

        probe.assertAllInOrderOneAtATime();
        assertThat(probe.threads).allMatch(name -> name.startsWith("jstomp-callback"), "a jstomp-callback thread");
        server.close(); // connection lost: the error callback and state changes run on callback threads too
        recorder.awaitError();
        await().atMost(Duration.ofSeconds(2)).until(() -> recorder.states.contains(ConnectionState.DISCONNECTED));
        assertThat(recorder.callbackThreads).isNotEmpty()
                .allMatch(name -> name.startsWith("jstomp-callback"), "a jstomp-callback thread");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void orderAndExclusionHoldPerSubscriptionOnAWideUserExecutor(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, burst(2, MESSAGES));
        userPool = Executors.newFixedThreadPool(8, task -> new Thread(task, "user-pool"));
        client = server.client().callbackExecutor(userPool);
        client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
        Probe first = new Probe();
        Probe second = new Probe();

        client.subscribe("/queue/first", first);
        client.subscribe("/queue/second", second);

        first.assertAllInOrderOneAtATime();
        second.assertAllInOrderOneAtATime();
        assertThat(first.threads).containsOnly("user-pool");
    }

    /**
     * Over TCP the messages of one read are queued on their lane and the lane is started once for them, not
     * once per message: on an executor that runs each task where it is given (here, the I/O thread), a burst
     * of 200 messages in one write takes a few runs, not 200.
     */
    @org.junit.jupiter.api.Test
    void overTcpTheMessagesOfOneReadStartTheirLaneOnce() throws Exception {
        server = FakeStompServer.start(Mode.TCP, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < MESSAGES; i++) {
                burst.append(FakeStompServer.messageFrame(id, "m-" + i, String.valueOf(i)));
            }
            peer.sendBytes(burst.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)); // one write
            peer.serveReceipts();
        });
        AtomicInteger runs = new AtomicInteger();
        client = server.client().callbackExecutor(task -> {
            runs.incrementAndGet();
            task.run();
        });
        client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
        Probe probe = new Probe();
        int before = runs.get();

        client.subscribe("/queue/test", probe);

        probe.assertAllInOrderOneAtATime();
        // One run per read that brought messages (Netty's first reads are small), far fewer than messages.
        assertThat(runs.get() - before).isLessThan(MESSAGES / 4);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBlockedCallbackDelaysOnlyItsOwnSubscription(Mode mode) throws Exception {
        server = FakeStompServer.start(mode, burst(2, 1));
        client = server.client();
        client.connectAsync(Map.of()).get(5, TimeUnit.SECONDS);
        CountDownLatch otherDelivered = new CountDownLatch(1);
        CountDownLatch blockedReturned = new CountDownLatch(1);

        client.subscribe("/queue/blocked", message -> {
            try {
                // Returns only once the other subscription has had its message.
                if (otherDelivered.await(5, TimeUnit.SECONDS)) {
                    blockedReturned.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        client.subscribe("/queue/free", message -> otherDelivered.countDown());

        assertThat(blockedReturned.await(6, TimeUnit.SECONDS)).isTrue();
    }
}
