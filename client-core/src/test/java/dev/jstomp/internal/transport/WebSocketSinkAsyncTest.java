package dev.jstomp.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;

/**
 * The WebSocket sink on Tyrus's asynchronous remote (here a recording one whose writes complete when the
 * test says): every message goes there, a backlog of unwritten bytes pauses the writer between the high and
 * low water marks, and a write that fails later is reported unless the sink was closed.
 */
class WebSocketSinkAsyncTest {

    private static final int MAX = 64 * 1024;

    private final AsyncRecording remote = new AsyncRecording();
    private final RecordingHandler handler = new RecordingHandler();
    private final WebSocketSink sink = new WebSocketSink(remote.springSession(), remote.session(), connection(),
            handler, MAX);

    @Test
    void everyMessageGoesToTheAsyncRemoteAndTheSinkNeverBlocks() throws Exception {
        Frame frame = send(new byte[] {'h', 'i'});

        sink.write(frame);
        sink.writeHeartbeat();

        assertThat(sink.writesWithoutBlocking()).isTrue();
        assertThat(remote.sent).extracting(Sent::kind).containsExactly("text", "text");
        assertThat(remote.sent.get(0).bytes()).isEqualTo(FrameEncoder.encode(frame));
        assertThat(remote.sent.get(1).bytes()).containsExactly('\n');
    }

    @Test
    void unwrittenBytesAboveTheHighMarkPauseTheWriterUntilWritesCompleteBelowTheLowMark() throws Exception {
        sink.connectedTo("ActiveMQ-Artemis/2.55.0");
        byte[] body = new byte[40 * 1024];
        while (sink.writable()) {
            sink.write(send(body));
            sink.flush();
        }
        long unsent = remote.sent.stream().mapToLong(sent -> sent.bytes().length).sum();
        long last = remote.sent.get(remote.sent.size() - 1).bytes().length;
        assertThat(unsent).as("paused at the first write past the high mark")
                .isGreaterThanOrEqualTo(WebSocketSink.HIGH_WATER).isLessThan(WebSocketSink.HIGH_WATER + last);
        assertThat(remote.sent).allMatch(sent -> sent.kind().equals("binary"));

        int completed = 0;
        while (unsent - remote.sent.get(completed).bytes().length >= WebSocketSink.LOW_WATER) {
            unsent -= remote.sent.get(completed).bytes().length;
            remote.complete(completed++, null);
            assertThat(handler.writableCalls).as("still above the low mark").hasValue(0);
        }
        remote.complete(completed, null);

        assertThat(handler.writableCalls).hasValue(1);
        assertThat(sink.writable()).isTrue();
        assertThat(handler.writeFailures).isEmpty();
    }

    @Test
    void aWriteThatFailsLaterIsReportedUnlessTheSinkIsClosed() throws Exception {
        sink.write(send(new byte[] {'a'}));
        sink.write(send(new byte[] {'b'}));

        remote.complete(0, new IOException("broken pipe"));
        sink.close();
        remote.complete(1, new IOException("closed"));

        assertThat(handler.writeFailures).singleElement()
                .satisfies(failure -> assertThat(failure).hasMessage("broken pipe"));
    }

    private static Frame send(byte[] body) {
        return Frame.of("SEND", Map.of("destination", "/queue/q"), body);
    }

    private static TcpConnection<byte[]> connection() {
        @SuppressWarnings("unchecked")
        TcpConnection<byte[]> connection = (TcpConnection<byte[]>) Proxy.newProxyInstance(
                WebSocketSinkAsyncTest.class.getClassLoader(), new Class<?>[] {TcpConnection.class},
                (proxy, method, args) -> null);
        return connection;
    }

    private record Sent(String kind, byte[] bytes, SendHandler handler) {
    }

    /** An async remote that copies what it is given (as Tyrus does) and completes writes on request. */
    private static final class AsyncRecording {
        final List<Sent> sent = new ArrayList<>();
        private final Session session;

        AsyncRecording() {
            RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "sendText" -> sent.add(new Sent("text",
                                    ((String) args[0]).getBytes(StandardCharsets.UTF_8), (SendHandler) args[1]));
                            case "sendBinary" -> {
                                ByteBuffer data = ((ByteBuffer) args[0]).duplicate();
                                byte[] copy = new byte[data.remaining()];
                                data.get(copy);
                                sent.add(new Sent("binary", copy, (SendHandler) args[1]));
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> method.getName().equals("getAsyncRemote") ? async : null);
        }

        Session session() {
            return session;
        }

        StandardWebSocketSession springSession() {
            StandardWebSocketSession spring = new StandardWebSocketSession(null, null, null, null);
            spring.initializeNativeSession(session);
            return spring;
        }

        void complete(int index, Throwable failure) {
            sent.get(index).handler().onResult(failure == null ? new SendResult() : new SendResult(failure));
        }
    }
}
