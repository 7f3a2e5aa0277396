package dev.jstomp.it;

import static dev.jstomp.it.Timeouts.QUIET;
import static dev.jstomp.it.Timeouts.WAIT;
import static dev.jstomp.it.HeaderMaps.merge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;

import dev.jstomp.Broker;
import dev.jstomp.Destinations;
import dev.jstomp.SendHeaders;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.SubscribeHeaders;
import dev.jstomp.test.StompRecorder;

/**
 * The brokers' STOMP extensions, written with the {@code SubscribeHeaders}/{@code SendHeaders} helpers:
 * every broker is tried, and one without the feature is recorded with what it does instead.
 */
@DisplayName("Broker extensions")
class BrokerExtensionsIT {

    private static final Map<String, String> CLIENT_ACK = Map.of("ack", "client-individual");

    @MatrixTest("prefetch with client acks: at most N unacknowledged messages in flight (N = 2)")
    void prefetchLimitsUnacknowledgedMessages(BrokerTarget target) throws Exception {
        String destination = target.queue("prefetch");
        AcknowledgementIT.produce(target, destination, "m1", "m2", "m3", "m4", "m5");
        int limit = 2;
        if (target.is(Broker.ARTEMIS)) {
            assertThatThrownBy(() -> SubscribeHeaders.prefetch(Broker.ARTEMIS, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumerWindowSize");
            limit = 1; // a 1-byte consumer window
        }
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received, merge(CLIENT_ACK, SubscribeHeaders.prefetch(target.broker(), limit)));
        List<StompMessage> first = received.awaitMessages(limit, WAIT);
        received.assertNoMoreMessages(QUIET); // no more than limit unacknowledged messages
        first.get(0).ack();
        StompMessage next = received.awaitMessage(WAIT);
        assertThat(next.body()).isEqualTo("m" + (limit + 1));
        received.assertNoMoreMessages(QUIET); // one ACK makes room for one message
        if (target.is(Broker.ARTEMIS)) {
            target.unsupported("its consumer window counts bytes (consumer-window-size), not messages;"
                    + " a 1-byte window gives one message at a time");
        }
    }

    @MatrixTest("selector: only matching messages are delivered")
    void selector(BrokerTarget target) throws Exception {
        String destination = target.queue("selector");
        StompClient client = target.connected();
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received, SubscribeHeaders.selector("color = 'red'"));
        for (String color : List.of("blue", "red", "green", "red")) {
            client.send(destination, Map.of("color", color), color);
        }
        if (target.is(Broker.RABBITMQ)) {
            assertThat(received.awaitBodies(4, WAIT)).containsExactly("blue", "red", "green", "red");
            target.unsupported("no selectors: the header is ignored and every message is delivered");
            return;
        }
        assertThat(received.awaitBodies(2, WAIT)).containsExactly("red", "red");
        received.assertNoMoreMessages(QUIET); // blue and green do not match
    }

    @MatrixTest("durable topic subscription: messages sent while away are kept (client-id + subscription name)")
    void durableSubscription(BrokerTarget target) throws Exception {
        String topic = target.topic("durable");
        String name = target.uniqueName("sub");
        Map<String, String> clientId = Map.of("client-id", target.uniqueName("client"));
        if (target.is(Broker.RABBITMQ)) {
            target.rabbitQueueToDelete(name);
        }
        Map<String, String> durable = merge(SubscribeHeaders.durable(target.broker(), name), Map.of("id", "durable"));

        StompClient first = target.connected(clientId);
        StompRecorder received = StompRecorder.create();
        Receipts.subscribe(first, topic, received, durable);
        first.send(topic, Map.of(), "while here");
        assertThat(received.awaitBodies(1, WAIT)).containsExactly("while here");
        first.disconnectAsync().get(10, TimeUnit.SECONDS);

        StompClient publisher = target.connected();
        publisher.send(topic, SendHeaders.persistent(), "while away");
        publisher.disconnectAsync().get(10, TimeUnit.SECONDS); // its receipt: the broker has routed the message

        StompClient back = target.connected(clientId);
        StompRecorder again = StompRecorder.create();
        back.subscribe(topic, again, durable);
        assertThat(again.awaitBodies(1, WAIT)).containsExactly("while away");
    }

    @MatrixTest("destination-type / subscription-type: MULTICAST copies to every subscriber, ANYCAST shares")
    void routingTypes(BrokerTarget target) throws Exception {
        // Names without the acceptor's /queue/ or /topic/ prefixes: only the headers decide the routing.
        String multicast = target.uniqueName("multicast");
        String anycast = target.uniqueName("anycast");
        StompClient client = target.connected();
        List<String> m1 = new CopyOnWriteArrayList<>();
        List<String> m2 = new CopyOnWriteArrayList<>();
        List<String> a1 = new CopyOnWriteArrayList<>();
        List<String> a2 = new CopyOnWriteArrayList<>();
        client.subscribe(multicast, m -> m1.add(m.body()), SubscribeHeaders.multicast());
        client.subscribe(multicast, m -> m2.add(m.body()), SubscribeHeaders.multicast());
        client.subscribe(anycast, m -> a1.add(m.body()), SubscribeHeaders.anycast());
        Receipts.subscribe(client, anycast, m -> a2.add(m.body()), SubscribeHeaders.anycast());
        for (int i = 0; i < 4; i++) {
            client.send(multicast, SendHeaders.multicast(), "m" + i);
            client.send(anycast, SendHeaders.anycast(), "a" + i);
        }
        // Artemis copies each MULTICAST message to both subscribers; the others deliver each message once.
        int multicastCopies = target.is(Broker.ARTEMIS) ? 8 : 4;
        await().atMost(Timeouts.WAIT).until(() -> a1.size() + a2.size() >= 4 && m1.size() + m2.size() >= multicastCopies);
        await("no further copies").during(Timeouts.QUIET).atMost(Timeouts.QUIET.plus(Timeouts.WAIT))
                .until(() -> a1.size() + a2.size() == 4 && m1.size() + m2.size() == multicastCopies);
        List<String> anycastAll = new ArrayList<>(a1);
        anycastAll.addAll(a2);
        assertThat(anycastAll).as("ANYCAST: each message once").hasSize(4).doesNotHaveDuplicates();
        if (target.is(Broker.ARTEMIS)) {
            assertThat(m1).as("MULTICAST: the first subscriber's copies").containsExactly("m0", "m1", "m2", "m3");
            assertThat(m2).as("MULTICAST: the second subscriber's copies").containsExactly("m0", "m1", "m2", "m3");
            return;
        }
        // RabbitMQ and Classic read a name without a prefix as a queue and ignore both headers.
        target.unsupported("the headers are ignored: a name without a prefix is a queue, so MULTICAST"
                + " subscribers share the messages (use /topic/)");
    }

    @MatrixTest("persistent:true SEND with a receipt: RECEIPT once the broker has the message")
    void persistentSendWithReceipt(BrokerTarget target) throws Exception {
        String destination = target.queue("persistent");
        StompClient client = target.connected();
        StompFrame receipt = client.sendWithReceipt(destination, SendHeaders.persistent(), "keep me")
                .get(Timeouts.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(receipt.command()).isEqualTo("RECEIPT");
        StompRecorder received = StompRecorder.create();
        client.subscribe(destination, received);
        StompMessage message = received.awaitMessage(WAIT);
        assertThat(message.body()).isEqualTo("keep me");
        assertThat(message.header("persistent")).as("the broker marks it persistent").isEqualTo("true");
    }

    @MatrixTest("topic wildcards: * matches one word, # (Classic: >) any number")
    void topicWildcards(BrokerTarget target) throws Exception {
        String base = target.uniqueName("wild");
        String many = target.is(Broker.ACTIVEMQ_CLASSIC) ? ">" : "#";
        StompClient client = target.connected();
        StompRecorder oneWord = StompRecorder.create();
        StompRecorder anyWords = StompRecorder.create();
        Receipts.subscribe(client, "/topic/" + base + ".*", oneWord);
        Receipts.subscribe(client, "/topic/" + base + "." + many, anyWords);
        client.send("/topic/" + base + ".a", Map.of(), "one word");
        client.send("/topic/" + base + ".a.b", Map.of(), "two words");
        assertThat(oneWord.awaitBodies(1, WAIT)).containsExactly("one word");
        assertThat(anyWords.awaitBodies(2, WAIT)).containsExactly("one word", "two words");
        oneWord.assertNoMoreMessages(QUIET); // * does not match two words
    }
    /**
     * RabbitMQ makes a temporary queue for a {@code reply-to: /temp-queue/NAME} on SEND and delivers replies
     * with {@code subscription: /temp-queue/NAME}, to no SUBSCRIBE (it refuses one). ActiveMQ Classic makes the
     * temporary queue on SUBSCRIBE and rewrites {@code reply-to} to reach it. Artemis has no temporary
     * destinations over STOMP.
     */
    @MatrixTest("request/response: reply-to /temp-queue/NAME brings the reply back to the requester")
    void tempQueueRequestResponse(BrokerTarget target) throws Exception {
        String requests = target.queue("requests");
        String replyTo = Destinations.rabbitTempQueue("replies");
        StompClient responder = target.connected();
        List<String> replyAddresses = new CopyOnWriteArrayList<>();
        Receipts.subscribe(responder, requests, request -> {
            replyAddresses.add(request.header("reply-to"));
            responder.send(request.header("reply-to"), Map.of("correlation-id", request.header("correlation-id")),
                    "pong to " + request.body());
        });

        DebugLog debug = new DebugLog();
        StompClient requester = target.client().debug(debug);
        StompRecorder replies = StompRecorder.create();
        if (target.is(Broker.RABBITMQ)) {
            requester.onUnhandledMessage(replies); // the reply's subscription id is the temp queue, not ours
        }
        requester.connectAsync(target.connectHeaders()).get(10, TimeUnit.SECONDS);
        if (target.is(Broker.ACTIVEMQ_CLASSIC)) {
            requester.subscribe(replyTo, replies);
        }
        requester.send(requests, Map.of("reply-to", replyTo, "correlation-id", "c-1"), "ping");
        await().atMost(Timeouts.WAIT).until(() -> !replyAddresses.isEmpty());

        if (target.is(Broker.ARTEMIS)) {
            assertThat(replyAddresses).containsExactly(replyTo);
            await("no reply").during(Timeouts.QUIET).atMost(Timeouts.WAIT)
                    .until(() -> debug.count("<<< MESSAGE") == 0);
            target.unsupported("no temporary queues: reply-to is passed on unchanged and the reply to"
                    + " /temp-queue/NAME reaches no one");
            return;
        }
        assertThat(replyAddresses.get(0)).as("the broker rewrote reply-to to its temporary queue").isNotEqualTo(replyTo);
        if (target.is(Broker.RABBITMQ)) {
            // The broker's side works: the reply reaches the client, addressed to the temp-queue "subscription".
            await("the reply MESSAGE").atMost(Timeouts.WAIT)
                    .until(() -> debug.indexOf("<<< MESSAGE", "subscription:" + replyTo + "\n") >= 0);
        }
        StompMessage reply = replies.awaitMessage(WAIT);
        assertThat(reply.body()).isEqualTo("pong to ping");
        assertThat(reply.header("correlation-id")).isEqualTo("c-1");
    }
}
