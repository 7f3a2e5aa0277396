package dev.jstomp.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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
 */
final class WebSocketSink implements FrameSink {

    /**
     * {@code server} header prefixes of brokers whose WebSocket endpoint feeds every message, text or binary,
     * into one stream parser (WebSocketBatchingIT proves each). Others keep one message per frame.
     */
    private static final List<String> STREAM_READERS = List.of("ActiveMQ-Artemis/", "RabbitMQ/");

    private static final TextMessage EOL_TEXT = new TextMessage("\n");
    private static final int INITIAL_BATCH_CAPACITY = 4096;

    private final WebSocketSession session;
    private final TcpConnection<byte[]> connection;
    private final int maxMessageSize;
    private final boolean sockJs;
    /** A JSR-356 basic remote returns only when the message is written, so the batch can be reused at once. */
    private final boolean sendsBeforeReturning;

    /** Set by the reading thread on CONNECTED, before the connection can queue anything after CONNECT. */
    private volatile boolean coalescing;
    /** Writer lane only; pending frames between {@code readerIndex} (always 0) and {@code writerIndex}. */
    private @Nullable ByteBuf batch;
    private boolean closed;

    WebSocketSink(WebSocketSession session, TcpConnection<byte[]> connection, int maxMessageSize) {
        this.session = session;
        this.connection = connection;
        this.maxMessageSize = maxMessageSize;
        this.sockJs = session instanceof AbstractClientSockJsSession;
        this.sendsBeforeReturning = session instanceof StandardWebSocketSession;
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
        if (frame.bodyBytes().length >= maxMessageSize) {
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
            guarded(EOL_TEXT);
            return;
        }
        // Behind whatever is pending, in the same message: the beat must leave now, and never before a frame
        // written earlier. The batch is below maxMessageSize between writes, so one more byte fits.
        batch().writeByte('\n');
        sendBatch();
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
        if (sockJs || (bytes.length <= maxMessageSize && isText(frame.bodyBytes()))) {
            guarded(new TextMessage(bytes));
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
            guarded(new BinaryMessage(payload));
        }
    }

    /** A failed send fails the connection; what is pending will never be sent in order, so it goes too. */
    private void guarded(WebSocketMessage<?> message) throws IOException {
        try {
            session.sendMessage(message);
        } catch (IOException | RuntimeException e) {
            dropBatch();
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
    private static boolean isText(byte[] body) {
        boolean ascii = true;
        for (byte b : body) {
            if (b == 0) {
                return false;
            }
            ascii &= b > 0;
        }
        if (ascii) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
