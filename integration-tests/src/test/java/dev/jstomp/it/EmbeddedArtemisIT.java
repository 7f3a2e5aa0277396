package dev.jstomp.it;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.jstomp.test.EmbeddedStompBroker;

/** Proves the broker fixture with hand-written STOMP 1.2 frames, independent of jstomp's own code. */
class EmbeddedArtemisIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    static final EmbeddedStompBroker broker = EmbeddedStompBroker.create();

    private static Duration coldStart;

    @BeforeAll
    static void recordColdStart() {
        // Runs after the extension's beforeAll, so this is the first (class-loading) start of the JVM.
        coldStart = broker.artemis().lastStartDuration();
    }

    @Test
    void coldStartIsFast() {
        assertThat(coldStart).isPositive().isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void connectWithGoodCredentialsNegotiatesVersionAndHeartBeat() throws IOException {
        try (RawStomp stomp = RawStomp.open(broker)) {
            Frame connected = stomp.connect(broker.login(), broker.passcode(), "10000,10000");
            assertThat(connected.command).isEqualTo("CONNECTED");
            assertThat(connected.headers).containsEntry("version", "1.2").containsEntry("heart-beat", "10000,10000");
        }
        // A client that cannot beat still gets asked for beats every TTL/2 (default TTL 60 s).
        try (RawStomp stomp = RawStomp.open(broker)) {
            assertThat(stomp.connect(broker.login(), broker.passcode(), "0,0").headers)
                    .containsEntry("heart-beat", "0,30000");
        }
    }

    @Test
    void hostHeaderIsOptional() throws IOException {
        try (RawStomp stomp = RawStomp.open(broker)) {
            stomp.send("CONNECT", Map.of("accept-version", "1.2", "login", broker.login(),
                    "passcode", broker.passcode()), "");
            Frame connected = stomp.read();
            assertThat(connected.command).isEqualTo("CONNECTED");
            assertThat(connected.headers).doesNotContainKey("heart-beat"); // none asked, none offered
        }
    }

    @Test
    void badPasscodeGetsErrorAndDisconnect() throws IOException {
        try (RawStomp stomp = RawStomp.open(broker)) {
            Frame error = stomp.connect(broker.login(), "wrong", "0,0");
            assertThat(error.command).isEqualTo("ERROR");
            assertThat(error.headers.get("message")).startsWith("Security Error occurred");
            assertThat(error.body).contains("User name [jstomp] or password is invalid");
            stomp.assertClosedByBroker();
        }
    }

    @Test
    void sendThenSubscribeReceivesMessage() throws IOException {
        try (RawStomp stomp = RawStomp.open(broker)) {
            assertThat(stomp.connect(broker.login(), broker.passcode(), "0,0").command).isEqualTo("CONNECTED");
            stomp.send("SEND", Map.of("destination", "/queue/it-smoke", "content-type", "text/plain",
                    "receipt", "r-send"), "hello artemis");
            Frame receipt = stomp.read();
            assertThat(receipt.command).isEqualTo("RECEIPT");
            assertThat(receipt.headers).containsEntry("receipt-id", "r-send");

            stomp.send("SUBSCRIBE", Map.of("id", "sub-0", "destination", "/queue/it-smoke",
                    "ack", "client-individual"), "");
            Frame message = stomp.read();
            assertThat(message.command).isEqualTo("MESSAGE");
            assertThat(message.body).isEqualTo("hello artemis");
            // The prefix is put back on the destination header, so clients see what they subscribed to.
            assertThat(message.headers).containsEntry("subscription", "sub-0")
                    .containsEntry("destination", "/queue/it-smoke")
                    .containsEntry("destination-type", "ANYCAST")
                    .containsKey("ack");

            stomp.send("ACK", Map.of("id", message.headers.get("ack"), "receipt", "r-ack"), "");
            assertThat(stomp.read().headers).containsEntry("receipt-id", "r-ack");
        }
    }

    @Test
    void sendToForbiddenDestinationGetsError() throws IOException {
        try (RawStomp stomp = RawStomp.open(broker)) {
            assertThat(stomp.connect(broker.login(), broker.passcode(), "0,0").command).isEqualTo("CONNECTED");
            stomp.send("SEND", Map.of("destination", "/queue/forbidden.secret", "receipt", "r-forbidden"), "nope");
            Frame error = stomp.read();
            // Artemis does not say "permission denied": AMQ339011 wraps the security exception and drops it.
            assertThat(error.command).isEqualTo("ERROR");
            assertThat(error.headers).containsEntry("receipt-id", "r-forbidden");
            assertThat(error.headers.get("message")).startsWith("AMQ339011").contains("address=forbidden.secret");
        }
    }

    @Test
    void webSocketWithStompSubprotocolConnects() throws Exception {
        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        StringBuilder pending = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                pending.append(data);
                if (last) {
                    firstFrame.complete("text:" + pending);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                pending.append(StandardCharsets.UTF_8.decode(data));
                if (last) {
                    firstFrame.complete("binary:" + pending);
                }
                ws.request(1);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                firstFrame.completeExceptionally(error);
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        WebSocket ws = http.newWebSocketBuilder()
                .subprotocols("v12.stomp")
                .connectTimeout(TIMEOUT)
                .buildAsync(URI.create(broker.wsUrl()), listener)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            assertThat(ws.getSubprotocol()).isEqualTo("v12.stomp");
            ws.sendText("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nlogin:" + broker.login()
                    + "\npasscode:" + broker.passcode() + "\nheart-beat:0,0\n\n\0", true);
            String reply = firstFrame.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // Artemis answers in binary WebSocket frames by default (webSocketEncoderType=binary).
            assertThat(reply).startsWith("binary:CONNECTED\n").contains("version:1.2");
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void stopFreesPortAndStartReusesIt() throws IOException {
        int port = broker.port();
        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(broker.host(), port));
        }

        broker.start();
        assertThat(broker.artemis().lastStartDuration()).isLessThan(Duration.ofSeconds(3));
        assertThat(broker.port()).isEqualTo(port);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            try (RawStomp stomp = RawStomp.open(broker)) {
                assertThat(stomp.connect(broker.login(), broker.passcode(), "0,0").command).isEqualTo("CONNECTED");
            }
        });
    }

    // ---- minimal STOMP 1.2 over a socket: enough to check the broker, nothing more ----

    record Frame(String command, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(command).append('\n');
            headers.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
            return sb.append('\n').append(body).append("^@").toString();
        }
    }

    static final class RawStomp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private RawStomp(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawStomp open(EmbeddedStompBroker broker) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(broker.host(), broker.port()), (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis()); // a missing frame fails the test instead of hanging it
            return new RawStomp(s);
        }

        Frame connect(String login, String passcode, String heartBeat) throws IOException {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("accept-version", "1.2");
            h.put("host", "127.0.0.1");
            h.put("login", login);
            h.put("passcode", passcode);
            h.put("heart-beat", heartBeat);
            send("CONNECT", h, "");
            return read();
        }

        void send(String command, Map<String, String> headers, String body) throws IOException {
            StringBuilder sb = new StringBuilder(command).append('\n');
            headers.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
            sb.append('\n').append(body).append('\0');
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads one frame, skipping heart-beat EOLs; relies on NUL termination (no content-length bodies with NULs). */
        Frame read() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) == '\n' || b == '\r') {
                // heart-beat
            }
            while (b != 0) {
                if (b < 0) {
                    throw new IOException("EOF before end of frame; got so far: " + buf.toString(StandardCharsets.UTF_8));
                }
                buf.write(b);
                b = in.read();
            }
            String raw = buf.toString(StandardCharsets.UTF_8);
            int split = raw.indexOf("\n\n");
            String head = split < 0 ? raw : raw.substring(0, split);
            String body = split < 0 ? "" : raw.substring(split + 2);
            String[] lines = head.split("\r?\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 1)); // first one wins (1.2)
            }
            return new Frame(lines[0], headers, body);
        }

        /** Artemis ends each frame with NUL + EOL, then closes the socket after fatal ERRORs. */
        void assertClosedByBroker() throws IOException {
            int b;
            while ((b = in.read()) == '\n' || b == '\r') {
                // trailing EOL
            }
            assertThat(b).as("expected EOF, got a byte").isEqualTo(-1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
