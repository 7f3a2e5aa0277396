package dev.jstomp.bench.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompObserver;

/** jstomp through its public API, with its defaults (heart-beats 10 s both ways, own callback pool). */
final class JstompWorkload implements Workload {

    private final String url;
    private final BrokerAddress broker;
    private final List<StompClient> consumers = new ArrayList<>();
    private StompClient producer;
    private String destination;

    private final Instrumentation instrumentation;
    /** An observer on both connections (the round-trip stages), or null. */
    private final StompObserver observer;
    /** Whether callbacks run on the reading thread (callbackExecutor(Runnable::run)) instead of the client's pool. */
    private boolean directCallbacks;

    JstompWorkload(BrokerAddress broker, boolean webSocket) {
        this(broker, webSocket, Instrumentation.NONE);
    }

    JstompWorkload(BrokerAddress broker, boolean webSocket, Instrumentation instrumentation) {
        this(broker, webSocket, instrumentation, null);
    }

    JstompWorkload(BrokerAddress broker, boolean webSocket, Instrumentation instrumentation, StompObserver observer) {
        this.observer = observer;
        this.broker = broker;
        this.url = webSocket ? broker.wsUrl() : broker.tcpUrl();
        this.instrumentation = instrumentation;
    }

    /** jstomp with {@code callbackExecutor(Runnable::run)}: each callback runs on the thread that read its message. */
    static JstompWorkload directCallbacks(BrokerAddress broker, boolean webSocket) {
        JstompWorkload workload = new JstompWorkload(broker, webSocket);
        workload.directCallbacks = true;
        return workload;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumerCount) throws Exception {
        this.destination = destination;
        for (int i = 0; i < consumerCount; i++) {
            StompClient consumer = connect();
            consumers.add(consumer);
            consumer.subscribe(destination, message -> inbox.hit());
        }
        producer = connect();
    }

    private StompClient connect() throws Exception {
        StompClient client = instrumentation.apply(Stomp.client(url));
        if (observer != null) {
            client.observe(observer);
        }
        if (directCallbacks) {
            client.callbackExecutor(Runnable::run);
        }
        client.connectAsync(Map.of("login", broker.login(), "passcode", broker.passcode()))
                .get(20, TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void send(byte[] body) {
        producer.send(destination, Map.of(), body);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        consumers.forEach(StompClient::close);
    }
}
