package dev.jstomp.bench.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket baseline: the JDK's {@code java.net.http.WebSocket}, pre-encoded SEND frames sent as binary
 * messages (one frame per message; the JDK allows one send in flight, so each waits for the previous), and
 * a listener that counts MESSAGE frames by their first letter and NUL terminator, nothing more.
 */
final class RawWsWorkload implements Workload {

    private final BrokerAddress broker;
    private HttpClient http;
    private final List<WebSocket> sockets = new ArrayList<>();
    private WebSocket producer;
    private byte[] lastBody;
    private ByteBuffer lastFrame;
    private String destination;

    RawWsWorkload(BrokerAddress broker) {
        this.broker = broker;
    }

    @Override
    public void start(String destination, Inbox inbox, int consumers) throws Exception {
        this.destination = destination;
        http = HttpClient.newHttpClient();
        for (int i = 0; i < consumers; i++) {
            WebSocket consumer = open(new Counter(inbox));
            consumer.sendBinary(ByteBuffer.wrap(RawFrames.subscribe(destination)), true).get(10, TimeUnit.SECONDS);
        }
        producer = open(new Counter(null));
    }

    private WebSocket open(Counter counter) throws Exception {
        WebSocket ws = http.newWebSocketBuilder().subprotocols("v12.stomp")
                .buildAsync(URI.create(broker.wsUrl()), counter).get(20, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(RawFrames.connect(broker)), true).get(10, TimeUnit.SECONDS);
        counter.connected.get(20, TimeUnit.SECONDS);
        sockets.add(ws);
        return ws;
    }

    @Override
    public void send(byte[] body) throws Exception {
        if (body != lastBody) {
            lastBody = body;
            lastFrame = ByteBuffer.wrap(RawFrames.send(destination, body));
        }
        producer.sendBinary(lastFrame.duplicate(), true).join();
    }

    @Override
    public void close() {
        for (WebSocket ws : sockets) {
            try {
                ws.sendBinary(ByteBuffer.wrap(RawFrames.disconnect()), true).get(2, TimeUnit.SECONDS);
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                ws.abort();
            }
        }
    }

    /** Frame boundaries only: the first byte after EOLs names the command, a NUL ends the frame. */
    private static final class Counter implements WebSocket.Listener {
        private final Inbox inbox;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        private boolean inFrame;
        private char command;

        Counter(Inbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            for (int i = 0, n = data.length(); i < n; i++) {
                accept(data.charAt(i));
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            while (data.hasRemaining()) {
                accept((char) (data.get() & 0xff));
            }
            return null;
        }

        private void accept(char c) {
            if (!inFrame) {
                if (c == '\n' || c == '\r') {
                    return;
                }
                inFrame = true;
                command = c;
            } else if (c == 0) {
                inFrame = false;
                if (command == 'M' && inbox != null) {
                    inbox.hit();
                } else if (command == 'C') {
                    connected.complete(null);
                } else if (command == 'E') {
                    System.err.println("raw-ws: ERROR frame from the broker");
                }
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            connected.completeExceptionally(error);
        }
    }
}
