package example;

// readme:begin
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.StompMessage;
import dev.jstomp.test.EmbeddedStompBroker;
import dev.jstomp.test.FakeStompServer;
import dev.jstomp.test.FakeStompServer.Fault;
import dev.jstomp.test.FakeStompServer.Step;
import dev.jstomp.test.StompRecorder;

class OrderPublisherTest {

    /** The code under test: it publishes orders. */
    record OrderPublisher(StompClient client) {
        void publish(String... orders) {
            for (String order : orders) {
                client.send("/queue/orders", Map.of("content-type", "text/plain"), order);
            }
        }
    }

    @RegisterExtension
    static EmbeddedStompBroker broker = EmbeddedStompBroker.create();  // static: one broker for the class

    @Test
    void publishedOrdersArriveInOrder() throws Exception {
        try (StompClient client = Stomp.client(broker.wsUrl())) {          // or broker.tcpUrl()
            client.connectAsync(broker.connectHeaders()).get(5, TimeUnit.SECONDS);
            StompRecorder recorder = StompRecorder.subscribe(client, "/queue/orders");

            new OrderPublisher(client).publish("A-1", "A-2", "A-3");

            List<StompMessage> got = recorder.awaitMessages(3, Duration.ofSeconds(5));
            assertEquals(List.of("A-1", "A-2", "A-3"), got.stream().map(StompMessage::body).toList());
            assertEquals("text/plain", got.get(0).header("content-type"));
        }
    }

    @Test
    void aBrokerThatRefusesTheSendReachesTheErrorCallback() throws Exception {
        try (FakeStompServer server = FakeStompServer.tcp().on(Step.SEND, Fault.error("queue full")).start();
                StompClient client = Stomp.client(server.url())) {
            CompletableFuture<StompError> error = new CompletableFuture<>();
            client.connect(Map.of(), connected -> new OrderPublisher(client).publish("A-1"), error::complete);

            assertEquals("queue full", error.get(5, TimeUnit.SECONDS).frame().header("message"));
        }
    }
}
// readme:end
