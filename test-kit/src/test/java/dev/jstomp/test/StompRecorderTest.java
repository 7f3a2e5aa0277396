package dev.jstomp.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;

/** The recorder against a real broker: waiting, order, and failures that say what did arrive. */
class StompRecorderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    private StompClient client;
    private String queue;

    @BeforeEach
    void connect() throws Exception {
        client = Stomp.client(broker.tcpUrl());
        client.connectAsync(broker.connectHeaders()).get(10, TimeUnit.SECONDS);
        queue = "/queue/recorder-" + System.nanoTime();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void awaitsHandOutMessagesInArrivalOrderEachOnce() throws Exception {
        StompRecorder recorder = StompRecorder.subscribe(client, queue);
        for (String body : new String[] {"one", "two", "three"}) {
            client.send(queue, Map.of(), body);
        }
        assertThat(recorder.awaitMessages(2, WAIT)).extracting(StompMessage::body).containsExactly("one", "two");
        assertThat(recorder.awaitMessage(WAIT).body()).isEqualTo("three");
        assertThat(recorder.messages()).extracting(StompMessage::body).containsExactly("one", "two", "three");
        assertThat(recorder.subscription()).isNotNull();
    }

    @Test
    void aTimeoutNamesTheMessagesThatDidArrive() throws Exception {
        StompRecorder recorder = StompRecorder.subscribe(client, queue);
        client.send(queue, Map.of(), "alpha");
        client.send(queue, Map.of(), "beta\nline two");
        await().atMost(WAIT).until(() -> recorder.messages().size() == 2);

        long start = System.nanoTime();
        assertThatThrownBy(() -> recorder.awaitMessages(3, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected 3 messages on " + queue + " within PT0.3S, but 2 arrived: ")
                .hasMessageContaining("#1 message-id=")
                .hasMessageContaining("body \"alpha\" (5 bytes)")
                .hasMessageContaining("#2 message-id=")
                .hasMessageContaining("body \"beta\\nline two\" (13 bytes)")
                .hasMessageContaining("destination=" + queue);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aTimeoutWithNothingSaysNoneArrivedAndCountsEarlierAwaits() throws Exception {
        StompRecorder recorder = StompRecorder.subscribe(client, queue);
        client.send(queue, Map.of(), "first");
        recorder.awaitMessage(WAIT);

        assertThatThrownBy(() -> recorder.awaitMessage(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expected 1 message on " + queue + " within PT0.2S, but none arrived"
                        + " (after the 1 returned by earlier awaits)");
    }

    @Test
    void assertNoMoreMessagesFailsNamingTheExtraOne() throws Exception {
        StompRecorder recorder = StompRecorder.subscribe(client, queue);
        client.send(queue, Map.of(), "expected");
        recorder.awaitMessage(WAIT);
        recorder.assertNoMoreMessages(Duration.ofMillis(200));

        client.send(queue, Map.of(), "surprise");
        assertThatThrownBy(() -> recorder.assertNoMoreMessages(WAIT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected no more messages on " + queue)
                .hasMessageContaining("#2 message-id=")
                .hasMessageContaining("\"surprise\"");
    }

    @Test
    void closeUnsubscribesSoTheNextSubscriberGetsTheMessage() throws Exception {
        StompRecorder first = StompRecorder.subscribe(client, queue, Map.of("id", "first-recorder"));
        assertThat(first.subscription().id()).isEqualTo("first-recorder");
        first.close();
        client.send(queue, Map.of(), "after close");
        try (StompRecorder second = StompRecorder.subscribe(client, queue)) {
            assertThat(second.awaitBodies(1, WAIT)).containsExactly("after close");
        }
        assertThat(first.messages()).isEmpty();
    }

    @Test
    void aCreatedRecorderIsACallback() throws Exception {
        StompRecorder recorder = StompRecorder.create();
        client.subscribe(queue, recorder, Map.of("ack", "client-individual"));
        client.send(queue, Map.of(), "acked");
        StompMessage message = recorder.awaitMessage(WAIT);
        message.ack();
        assertThat(message.body()).isEqualTo("acked");
        assertThatThrownBy(() -> recorder.awaitMessage(Duration.ofMillis(50)))
                .hasMessageStartingWith("Expected 1 message on the recorder within");
    }

    @Test
    void badArgumentsAreRefused() {
        StompRecorder recorder = StompRecorder.create();
        assertThatThrownBy(() -> recorder.awaitMessages(0, WAIT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
