package dev.jstomp.bench.e2e;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;

/**
 * Raw Spring {@code StompSession}s, the same over either transport: consumers subscribe, one producer
 * sends. Subclasses say how a session is opened and what to shut down.
 */
abstract class SpringWorkload implements Workload {

    protected final BrokerAddress broker;
    private final List<StompSession> sessions = new ArrayList<>();
    private StompSession producer;
    private String destination;

    SpringWorkload(BrokerAddress broker) {
        this.broker = broker;
    }

    /** Opens one session with the broker's credentials, heart-beats off. */
    protected abstract StompSession connect() throws Exception;

    /** Releases the Spring client(s) after the sessions are disconnected. */
    protected abstract void shutdown();

    /** Called once before the first connect. */
    protected void prepare() {
    }

    protected StompHeaders credentials() {
        StompHeaders headers = new StompHeaders();
        headers.setLogin(broker.login());
        headers.setPasscode(broker.passcode());
        return headers;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumers) throws Exception {
        this.destination = destination;
        prepare();
        for (int i = 0; i < consumers; i++) {
            subscribe(opened(), destination, inbox);
        }
        producer = opened();
    }

    private StompSession opened() throws Exception {
        StompSession session = connect();
        sessions.add(session);
        return session;
    }

    private static void subscribe(StompSession consumer, String destination, Inbox inbox) {
        consumer.subscribe(destination, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return byte[].class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                inbox.hit();
            }
        });
    }

    @Override
    public void send(byte[] body) {
        producer.send(destination, body);
    }

    @Override
    public void close() {
        for (StompSession s : sessions) {
            try {
                s.disconnect();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        shutdown();
    }
}
