package dev.jstomp.it;

import static dev.jstomp.it.FaultKit.waitAtMost;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.test.EmbeddedStompBroker;
import dev.jstomp.StompClient;
import dev.jstomp.StompResources;
import dev.jstomp.it.FaultKit.Resources;

/**
 * Clients share their threads: 200 connected clients (one subscription each) run on as many threads as 10
 * do, over TCP and over WebSocket; once every client is closed, the shared threads go but the event loops. Clients given their
 * own {@link StompResources} run on those, and closing them releases their threads.
 */
class SharedThreadsIT {

    private static final int FEW = 10;
    private static final int MANY = 200;
    /**
     * Idle connections keep no elastic pool growing (WebSocket heart-beats go out on the timer, Grizzly's
     * workers stay at their core while no reader waits); a few for threads that come and go (a callback
     * pool thread, a writer, the JVM's). Growing with N would be 190 more (1,330 with the
     * thread-per-connection transports of before).
     */
    private static final int SLACK = 8;
    private static final int WAVE = 10;

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void manyClientsRunOnTheThreadsOfAFewAndLetThemGoWhenClosed(Transport transport) throws Exception {
        String topic = "/topic/shared-threads-" + transport.name().toLowerCase() + "-" + System.nanoTime();
        AtomicInteger received = new AtomicInteger();
        List<StompClient> clients = new ArrayList<>();
        try {
            connect(transport, clients, FEW, topic, received);
            settled();
            int threadsFew = Resources.clientThreads();
            connect(transport, clients, MANY - FEW, topic, received);
            settled();
            int threadsMany = Resources.clientThreads();
            System.out.printf("SharedThreadsIT %s: %d clients %d threads, %d clients %d threads: %s%n", transport,
                    FEW, threadsFew, MANY, threadsMany, Resources.threadNames());
            assertThat(threadsMany).as("threads at %d clients against %d at %d: %s", MANY, threadsFew, FEW,
                    Resources.threadNames()).isLessThanOrEqualTo(threadsFew + SLACK);

            // Every connection works: one message to the topic reaches all of them.
            clients.get(0).send(topic, Map.of(), "to all");
            waitAtMost(Duration.ofSeconds(20)).until(() -> received.get() == MANY);
        } finally {
            clients.forEach(StompClient::close);
        }
        // The shared event loops stay, made once per JVM (see StompResources); the rest goes.
        waitAtMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(jstompThreads()).as("jstomp threads left once every client is closed").isEmpty());
    }

    @Test
    void clientsOnTheirOwnResourcesUseThoseAndClosingThemReleasesTheThreads() throws Exception {
        StompResources own = StompResources.create(1, 1);
        List<StompClient> clients = new ArrayList<>();
        AtomicInteger received = new AtomicInteger();
        String topic = "/topic/own-resources-" + System.nanoTime();
        try {
            for (Transport transport : Transport.values()) {
                for (int i = 0; i < 3; i++) {
                    StompClient client = transport.client(broker).resources(own);
                    clients.add(client);
                    connectAndSubscribe(client, topic, received);
                }
            }
            clients.get(0).send(topic, Map.of(), "to all");
            waitAtMost(Duration.ofSeconds(10)).until(() -> received.get() == clients.size());
            assertThat(Resources.threadNames()).contains("jstomp-callback-");
        } finally {
            clients.forEach(StompClient::close);
            own.close();
        }
        waitAtMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(jstompThreads()).as("jstomp threads left once the resources are closed").isEmpty());
    }

    private static void connect(Transport transport, List<StompClient> clients, int count, String topic,
            AtomicInteger received) throws Exception {
        // In waves of WAVE, as a service opening its connections would: the transient threads of a burst of
        // handshakes (Tyrus's, Grizzly's) are then alike at 10 and at 200, and what is measured is the steady cost.
        for (int done = 0; done < count; done += WAVE) {
            List<CompletableFuture<?>> connecting = new ArrayList<>();
            for (int i = done; i < Math.min(count, done + WAVE); i++) {
                StompClient client = transport.client(broker);
                clients.add(client);
                connecting.add(client.connectAsync(broker.connectHeaders())
                        .thenCompose(connected -> subscribed(client, topic, received)));
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    private static void connectAndSubscribe(StompClient client, String topic, AtomicInteger received) throws Exception {
        client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
        subscribed(client, topic, received).get(10, TimeUnit.SECONDS);
    }

    /** Subscribes and completes on the broker's RECEIPT for it: the subscription is in place. */
    private static CompletableFuture<?> subscribed(StompClient client, String topic, AtomicInteger received) {
        String receipt = "sub-" + System.nanoTime();
        CompletableFuture<?> answer = client.watchForReceipt(receipt);
        client.subscribe(topic, m -> received.incrementAndGet(), Map.of("receipt", receipt));
        return answer;
    }

    /**
     * Waits for the threads of a burst of connects to go: the handshake threads (after 5 s idle) and the
     * writer threads that sent each CONNECT and SUBSCRIBE (after 10 s idle; an idle connection needs none, its
     * heart-beats go out on the timer). What is measured is the cost of connections in use, not of opening
     * them, and a count taken while some of a wave's writers were still alive depended on timing.
     */
    private static void settled() {
        waitAtMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> Thread.getAllStackTraces()
                .keySet().stream().map(Thread::getName)
                .noneMatch(name -> name.startsWith("jstomp-connect") || name.startsWith("jstomp-writer")));
    }

    /**
     * jstomp's threads, but the shared event loops (made once per JVM and kept) and the core of the Grizzly worker pool jstomp configures for Tyrus's shared
     * container: that container is Tyrus's, one per JVM, stopped by Tyrus's own idle timeout, whose count of
     * connections misses some that failed in their handshake (earlier tests in this JVM make such). Past
     * the core the pool shrinks by itself.
     */
    private static List<String> jstompThreads() {
        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("jstomp-") && !name.startsWith("jstomp-io-shared-")).sorted().toList();
        long workers = names.stream().filter(name -> name.startsWith("jstomp-ws-worker")).count();
        return workers <= Runtime.getRuntime().availableProcessors()
                ? names.stream().filter(name -> !name.startsWith("jstomp-ws-worker")).toList() : names;
    }
}
