package dev.jstomp.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.sockjs.client.AbstractClientSockJsSession;

import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameEncoder;
import dev.jstomp.internal.resources.WebSocketWorkers;

/**
 * Writes one connection's frames to its WebSocket session, from the connection's writer lane only.
 *
 * <p>Until the broker has named itself, each frame is one WebSocket message, text when its body is NUL-free
 * UTF-8: that is what stomp.js sends, and ActiveMQ Classic's WebSocket transport needs it (it ignores binary
 * messages without a word and parses each text message as exactly one frame). Once CONNECTED comes from a
 * broker that reads the client's messages as one byte stream, the frames of a writer run are coalesced into
 * binary messages of at most {@code maxMessageSize}: one Tyrus send (framing, masking, a blocking write) per
 * batch instead of per frame, and no bytes-to-String-to-bytes round trip for text bodies. Binary, because a
 * batch can mix text and non-UTF-8 bodies, and those brokers treat both kinds alike. A frame is cut across
 * messages only when it alone is larger than {@code maxMessageSize} (Artemis's acceptor takes 64 KiB per
 * message by default), which both brokers reassemble.
 *
 * <p>SockJS sessions carry text only, and frames whole, so they never coalesce.
 *
 * <p>On Tyrus the sink sends through the session's asynchronous remote, which frames and masks a copy of the
 * bytes before it returns and queues what the socket cannot take yet, in order, instead of waiting. So no
 * write waits for the network, and a frame sent while the writer lane is idle goes out on the sending thread
 * (see {@link FrameSink#writesWithoutBlocking()}), without a thread hop. Bytes handed to Tyrus and not yet
 * written are counted: above {@link #HIGH_WATER} the sink says it is not {@link #writable()}, so a backlog
 * waits as frames in the lane, and it reports {@link TransportHandler#onWritable()} below {@link #LOW_WATER}.
 * Other JSR-356 clients may refuse a send while another is in flight, so they keep the blocking remote.
 */
final class WebSocketSink implements FrameSink {

    /**
     * {@code server} header prefixes of brokers whose WebSocket endpoint feeds every message, text or binary,
     * into one stream parser (WebSocketBatchingIT proves each). Others keep one message per frame.
     */
    private static final List<String> STREAM_READERS = List.of("ActiveMQ-Artemis/", "RabbitMQ/");

    private static final TextMessage EOL_TEXT = new TextMessage("\n");
    private static final int INITIAL_BATCH_CAPACITY = 4096;
    /** Bytes handed to Tyrus and not yet written above which the writer lane waits. */
    static final long HIGH_WATER = 256 * 1024;
    /** ... and below which it goes on. */
    static final long LOW_WATER = 64 * 1024;
    /** Artemis, RabbitMQ and Classic close within milliseconds of the DISCONNECT receipt. */
    static final long PEER_CLOSE_GRACE_MILLIS = 1_000;

    private final WebSocketSession session;
    private final TcpConnection<byte[]> connection;
    private final TransportHandler handler;
    /** Tyrus's session, whose asynchronous remote takes every message; null on the blocking path. */
    private final @Nullable Session asyncSession;
    private final AtomicLong unsent = new AtomicLong();
    /** Set when the sink said it was not writable: the next completion below LOW_WATER reports writable. */
    private volatile boolean paused;
    private final int maxMessageSize;
    private final boolean sockJs;
    /** A JSR-356 basic remote returns only when the message is written, so the batch can be reused at once. */
    private final boolean sendsBeforeReturning;

    /** Set by the reading thread on CONNECTED, before the connection can queue anything after CONNECT. */
    private volatile boolean coalescing;
    /** Writer lane only; pending frames between {@code readerIndex} (always 0) and {@code writerIndex}. */
    private @Nullable ByteBuf batch;
    private volatile boolean closed;

    /**
     * @param asyncSession the session's JSR-356 side when its asynchronous remote takes every message in
     *     order ({@link #tyrusSession}), else {@code null} for the blocking path
     */
    WebSocketSink(WebSocketSession session, @Nullable Session asyncSession, TcpConnection<byte[]> connection,
            TransportHandler handler, int maxMessageSize) {
        this.session = session;
        this.asyncSession = asyncSession;
        this.connection = connection;
        this.handler = handler;
        this.maxMessageSize = maxMessageSize;
        this.sockJs = session instanceof AbstractClientSockJsSession;
        this.sendsBeforeReturning = session instanceof StandardWebSocketSession;
    }

    /** Tyrus's session behind a Spring one, or {@code null} for any other (see the class comment). */
    static @Nullable Session tyrusSession(WebSocketSession session) {
        return session instanceof StandardWebSocketSession standard
                && standard.getNativeSession().getClass().getName().startsWith("org.glassfish.tyrus.")
                ? standard.getNativeSession() : null;
    }

    @Override
    public boolean writesWithoutBlocking() {
        return asyncSession != null;
    }

    /** A Tyrus reader is a worker of the shared Grizzly pool, which takes one thread more while it waits. */
    @Override
    public Runnable readerWaits() {
        return WebSocketWorkers.shared().readerWaits();
    }

    @Override
    public boolean writable() {
        if (asyncSession == null || unsent.get() < HIGH_WATER) {
            return true;
        }
        paused = true;
        // A write that completed between the two reads may have found the flag still clear.
        return unsent.get() < HIGH_WATER;
    }

    /**
     * The broker's CONNECTED arrived: coalesce from now on if its {@code server} header names a broker known
     * to read a stream. Called on the reading thread before the frame is handed to the connection.
     */
    void connectedTo(@Nullable String server) {
        coalescing = !sockJs && server != null && STREAM_READERS.stream().anyMatch(server::startsWith);
    }

    /** Whether frames are now coalesced (tests). */
    boolean coalescing() {
        return coalescing;
    }

    @Override
    public void write(Frame frame) throws IOException {
        if (closed) {
            throw new IOException("WebSocket session to write to is closed");
        }
        if (!coalescing) {
            writeAlone(frame);
            return;
        }
        if (frame.bodyLength() >= maxMessageSize) {
            // Split anyway: encoded on its own, so the batch never grows to the size of the largest body.
            sendBatch();
            byte[] bytes = FrameEncoder.encode(frame);
            send(bytes, 0, bytes.length);
            return;
        }
        ByteBuf pending = batch();
        int start = pending.writerIndex();
        try {
            FrameEncoder.encode(frame, pending);
        } catch (RuntimeException e) {
            pending.writerIndex(start); // no half frame left for a later flush to send
            throw e;
        }
        int size = pending.readableBytes();
        if (size < maxMessageSize) {
            return;
        }
        if (size > maxMessageSize && start > 0) {
            // This frame does not fit beside the pending ones: they go alone, so no frame is cut in two.
            sendPart(pending, start);
            pending.discardReadBytes();
        }
        if (pending.readableBytes() >= maxMessageSize) {
            sendBatch();
        }
    }

    @Override
    public void flush() throws IOException {
        if (!closed) {
            sendBatch();
        }
    }

    @Override
    public void writeHeartbeat() throws IOException {
        if (closed) {
            throw new IOException("WebSocket session to write to is closed");
        }
        if (!coalescing) {
            sendMessage(EOL_TEXT);
            return;
        }
        // Behind whatever is pending, in the same message: the beat must leave now, and never before a frame
        // written earlier. The batch is below maxMessageSize between writes, so one more byte fits.
        batch().writeByte('\n');
        sendBatch();
    }

    /** See {@link FrameSink#peerCloseGraceMillis()}; SockJS and other clients close at once. */
    @Override
    public long peerCloseGraceMillis() {
        return asyncSession != null ? PEER_CLOSE_GRACE_MILLIS : 0;
    }

    @Override
    public void close() {
        closed = true;
        dropBatch();
        try {
            connection.close();
        } catch (RuntimeException e) {
            // Already closed by the broker, or Tyrus shutting down (tyrus#640): closed either way.
        }
    }

    /** One message per frame: text when the body allows it (see the class comment), else binary. */
    private void writeAlone(Frame frame) throws IOException {
        byte[] bytes = FrameEncoder.encode(frame);
        if (sockJs || (bytes.length <= maxMessageSize && isText(frame))) {
            sendMessage(new TextMessage(bytes));
        } else {
            send(bytes, 0, bytes.length);
        }
    }

    private ByteBuf batch() {
        ByteBuf current = batch;
        if (current == null) {
            current = Unpooled.buffer(Math.min(INITIAL_BATCH_CAPACITY, maxMessageSize));
            batch = current;
        }
        return current;
    }

    /** Sends everything pending (in parts when a single frame is larger than maxMessageSize), then empties. */
    private void sendBatch() throws IOException {
        ByteBuf pending = batch;
        if (pending == null || !pending.isReadable()) {
            return;
        }
        sendPart(pending, pending.readableBytes());
        pending.clear();
        if (pending.capacity() > 4 * maxMessageSize) {
            // One frame with huge headers grew it; an idle connection should not keep that much.
            dropBatch();
        }
    }

    /** Sends the first {@code length} pending bytes and consumes them. */
    private void sendPart(ByteBuf pending, int length) throws IOException {
        send(pending.array(), pending.arrayOffset() + pending.readerIndex(), length);
        pending.skipBytes(length);
    }

    /** Binary messages of at most maxMessageSize: one unless the bytes hold a frame larger than that. */
    private void send(byte[] bytes, int offset, int length) throws IOException {
        for (int from = 0; from < length; from += maxMessageSize) {
            int part = Math.min(maxMessageSize, length - from);
            ByteBuffer payload = sendsBeforeReturning
                    ? ByteBuffer.wrap(bytes, offset + from, part)
                    : ByteBuffer.wrap(Arrays.copyOfRange(bytes, offset + from, offset + from + part));
            sendMessage(new BinaryMessage(payload));
        }
    }

    /** A failed send fails the connection; what is pending will never be sent in order, so it goes too. */
    private void sendMessage(WebSocketMessage<?> message) throws IOException {
        try {
            if (asyncSession != null) {
                sendAsync(asyncSession, message);
            } else {
                session.sendMessage(message);
            }
        } catch (IOException | RuntimeException e) {
            dropBatch();
            throw e;
        }
    }

    /** Tyrus copies the bytes before it returns, so the batch can be reused at once here too. */
    private void sendAsync(Session tyrus, WebSocketMessage<?> message) {
        int size = message.getPayloadLength();
        unsent.addAndGet(size);
        SendHandler written = result -> {
            long left = unsent.addAndGet(-size);
            if (!result.isOK() && !closed) {
                handler.onWriteFailure(result.getException());
            }
            if (paused && left < LOW_WATER) {
                paused = false;
                handler.onWritable();
            }
        };
        try {
            if (message instanceof TextMessage text) {
                tyrus.getAsyncRemote().sendText(text.getPayload(), written);
            } else {
                tyrus.getAsyncRemote().sendBinary(((BinaryMessage) message).getPayload(), written);
            }
        } catch (RuntimeException e) {
            unsent.addAndGet(-size);
            throw e;
        }
    }

    private void dropBatch() {
        ByteBuf current = batch;
        batch = null;
        if (current != null) {
            current.release();
        }
    }

    /** Text when the body is NUL-free UTF-8; anything else goes as a binary message, byte for byte. */
    private static boolean isText(Frame frame) {
        byte[] body = frame.bodyArray();
        int from = frame.bodyOffset();
        int to = from + frame.bodyLength();
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == 0) {
                return false;
            }
            ascii &= b > 0;
        }
        if (ascii) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
