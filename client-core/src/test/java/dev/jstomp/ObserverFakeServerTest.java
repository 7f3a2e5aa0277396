package dev.jstomp;

import static dev.jstomp.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.FakeStompServer.Mode;

/** The {@link StompObserver} hooks: what they see, the headers they add, the order they wrap callbacks in. */
class ObserverFakeServerTest {

    private FakeStompServer server;
    private StompClient client;
    private final Recorder recorder = new Recorder();

    @AfterEach
    void tearDown() {
        FakeStompServer.shutdown(server, client);
    }

    /** Records what one observer heard, with its name in front. */
    private static final class Recording implements StompObserver {
        final String name;
        final List<String> events;
        final List<@Nullable Throwable> outcomes = new CopyOnWriteArrayList<>();

        Recording(String name, List<String> events) {
            this.name = name;
            this.events = events;
        }

        @Override
        public void attached(Stats stats) {
            events.add(name + " attached " + stats.address() + " held=" + stats.heldSends());
        }

        @Override
        public void frameWritten(StompFrame frame, int bodyBytes) {
            events.add(name + " wrote " + frame.command() + " " + bodyBytes);
        }

        @Override
        public void frameRead(StompFrame frame, int bodyBytes) {
            events.add(name + " read " + frame.command() + " " + bodyBytes);
        }

        @Override
        public @Nullable Sending sending(StompFrame send, Map<String, String> addHeaders) {
            addHeaders.put("x-" + name, "added by " + name);
            addHeaders.put("priority", "1"); // the caller's value must win
            return outcomes::add;
        }

        @Override
        public void deliver(Subscription subscription, StompMessage message, Consumer<StompMessage> callback) {
            events.add(name + " before " + subscription.id());
            callback.accept(message);
            events.add(name + " after");
        }

        @Override
        public void stateChanged(ConnectionState state) {
            events.add(name + " state " + state);
        }

        @Override
        public void connected(String address, boolean reconnect) {
            events.add(name + " connected reconnect=" + reconnect);
        }

        @Override
        public void receipt(String command, long nanos, @Nullable Throwable failure) {
            events.add(name + " receipt " + command + " " + (failure == null ? "ok" : "failed"));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void observersSeeFramesAddHeadersAndWrapCallbacksInOrder(Mode mode) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Recording first = new Recording("a", events);
        Recording second = new Recording("b", events);
        server = FakeStompServer.start(mode, peer -> {
            peer.acceptConnect("1.2", "0,0");
            String id = peer.next("SUBSCRIBE").header("id");
            peer.send(FakeStompServer.messageFrame(id, "m-1", "hello"));
            peer.serveReceipts();
        });
        client = server.client().observe(first).observe(second);
        String address = mode == Mode.TCP ? "127.0.0.1:" + server.port() + " (TCP)" : server.url() + " (WebSocket)";
        assertThat(events).containsExactly("a attached " + address + " held=0", "b attached " + address + " held=0");
        client.connect(Map.of(), recorder.onConnect(), recorder.onError());
        recorder.awaitConnected();
        FakePeer peer = server.awaitPeer();
        CompletableFuture<String> delivered = new CompletableFuture<>();
        client.subscribe("/queue/observed", message -> {
            events.add("callback " + message.body());
            delivered.complete(message.body());
        });
        assertThat(delivered.get(5, TimeUnit.SECONDS)).isEqualTo("hello");
        client.send("/queue/observed", Map.of("priority", "9"), "12345");
        client.sendWithReceipt("/queue/observed", Map.of(), "abc").get(5, TimeUnit.SECONDS);

        var sent = peer.awaitReceived("SEND");
        assertThat(sent.header("x-a")).isEqualTo("added by a");
        assertThat(sent.header("x-b")).isEqualTo("added by b");
        assertThat(sent.header("priority")).isEqualTo("9");
        await().until(() -> first.outcomes.size() == 2 && second.outcomes.size() == 2);
        assertThat(first.outcomes).containsOnlyNulls();
        await().until(() -> events.contains("a after"));
        assertThat(events).containsSubsequence("a state CONNECTING", "b state CONNECTING", "a wrote CONNECT 0",
                "a read CONNECTED 0", "a connected reconnect=false", "a state CONNECTED", "a wrote SUBSCRIBE 0",
                "a read MESSAGE 5", "a before sub-1", "b before sub-1", "callback hello", "b after", "a after");
        assertThat(events).contains("b wrote SEND 5", "a wrote SEND 3", "a receipt SEND ok", "b receipt SEND ok");

        assertThatThrownBy(() -> client.observe(new Recording("late", events)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before connect()");
        client.disconnectAsync().get(5, TimeUnit.SECONDS);
        // A send that fails is reported to the observers as the caller sees it.
        assertThatThrownBy(() -> client.send("/queue/observed", Map.of(), "too late"))
                .isInstanceOf(StompConnectionException.class);
        assertThat(first.outcomes).hasSize(3).last().isInstanceOf(StompConnectionException.class);
    }
}
