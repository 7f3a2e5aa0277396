package dev.jstomp.internal.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompException;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameParser;
import dev.jstomp.internal.transport.FrameSink;
import dev.jstomp.internal.transport.Transport;
import dev.jstomp.internal.transport.TransportHandler;
import dev.jstomp.internal.util.SerialLane;

/**
 * One STOMP session over one transport connection: the CONNECT handshake, heart-beats both ways
 * ({@link Heartbeats}), receipts ({@link PendingReceipts}), and routing of inbound frames to the client.
 * Writes go through a serial writer lane so that callers never block on the network and frames leave in
 * the order they were sent.
 */
final class StompConnection implements TransportHandler {

    private static final Logger log = LoggerFactory.getLogger(StompConnection.class);

    private enum Phase { OPENING, CONNECTING, CONNECTED, DISCONNECTING, CLOSED }

    /** Paused reading resumes after this long without a callback finishing (see InboundBacklog). */
    private static final long STALL_MILLIS = 5_000;

    private final Transport transport;
    private final ConnectionSettings settings;
    private final ScheduledExecutorService timer;
    private final SerialLane writer;
    private final Executor writers;
    private final ConnectionListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PendingReceipts receipts;
    private final Heartbeats heartbeats;
    private final InboundBacklog backlog;
    private final OutboundBuffer outbound;

    private volatile Phase phase = Phase.OPENING;
    /** The reading thread is handing on the frames of one read; only that thread reads or writes these. */
    private boolean readingBatch;
    private final List<SerialLane> batchLanes = new ArrayList<>(4);
    private volatile @Nullable FrameSink sink;
    private volatile Map<String, String> connectHeaders = Map.of();
    private volatile String version = "1.0";
    /** CONNECTED came from RabbitMQ, whose "Subscription not found" ERROR does not end the connection. */
    private volatile boolean rabbitMq;
    private volatile @Nullable ScheduledFuture<?> connectTimeout;
    /** Completes when close() has told the client and released the transport, whichever thread closed. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    StompConnection(Transport transport, ConnectionSettings settings, ScheduledExecutorService timer,
            Executor writers, ConnectionListener listener) {
        this.transport = transport;
        this.settings = settings;
        this.timer = timer;
        this.writers = writers;
        this.writer = new SerialLane(task -> writeExecutor().execute(task),
                "jstomp writer for " + transport.describe(), this::flush, true, this::writable);
        this.listener = listener;
        this.receipts = new PendingReceipts(this, settings, timer, listener, closed);
        this.heartbeats = new Heartbeats(this, settings, timer, listener);
        this.backlog = new InboundBacklog(settings.pauseReadingAtBytes(), STALL_MILLIS, timer,
                receipts::awaited, transport.describe());
        this.outbound = new OutboundBuffer(settings.outboundBufferLimit(), settings.sendTimeoutMillis(),
                transport.describe());
    }

    /** Sent frames not yet written, bounded (tests). */
    OutboundBuffer outbound() {
        return outbound;
    }

    /** Received messages waiting for their callbacks; the subscriptions count what they hand on. */
    InboundBacklog backlog() {
        return backlog;
    }

    private void releaseTransport() {
        Runnable release = () -> {
            try {
                transport.shutdown();
            } finally {
                terminated.complete(null);
            }
        };
        try {
            writers.execute(release);
        } catch (RejectedExecutionException e) {
            release.run(); // the client is shutting down its threads: release here
        }
    }

    /** Whether the writer may go on: the peer takes what was written, or the connection is closing anyway. */
    private boolean writable() {
        FrameSink current = sink;
        return current == null || closed.get() || current.writable();
    }

    @Override
    public void onWritable() {
        writer.reopen();
    }

    /** The open sink's own I/O thread when it has one (TCP), else jstomp's writer threads. */
    private Executor writeExecutor() {
        FrameSink current = sink;
        Executor own = current == null ? null : current.writeExecutor();
        return own != null ? own : writers;
    }

    /** Opens the transport and sends CONNECT with these headers once it is open. */
    void start(Map<String, String> headers) {
        this.connectHeaders = headers;
        if (settings.connectTimeoutMillis() > 0) {
            connectTimeout = timer.schedule(() -> fail(phase == Phase.OPENING
                    ? new StompTimeoutException("Could not open " + describe() + " within "
                            + settings.connectTimeoutMillis() + " ms: the TCP connection or WebSocket handshake did "
                            + "not complete (or the peer closed it during the handshake); check the address")
                    : new StompTimeoutException("No CONNECTED frame from " + describe() + " within "
                            + settings.connectTimeoutMillis() + " ms; check that the address is a STOMP endpoint and "
                            + "the broker is healthy"), null),
                    settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        transport.open(this);
    }

    String describe() {
        return transport.describe();
    }

    /** The negotiated STOMP version ("1.0", "1.1" or "1.2"). */
    String version() {
        return version;
    }

    boolean isConnected() {
        return phase == Phase.CONNECTED;
    }

    /**
     * Takes room for a frame in the outbound buffer, waiting for it while the buffer is full. Never under a
     * lock the connection's events need. On the writer's own thread (a user's executor running callbacks on
     * the I/O thread) it does not wait: only that thread could make the room.
     *
     * @return the bytes taken, to hand to {@link #trySend(Frame, long)}; 0 when the session is not up
     * @throws dev.jstomp.StompTimeoutException when no room came within the send timeout
     */
    long reserve(Frame frame) {
        if (phase != Phase.CONNECTED) {
            return 0;
        }
        long bytes = OutboundBuffer.sizeOf(frame);
        FrameSink current = sink;
        if (current != null && current.onWriterThread()) {
            outbound.acquireNow(bytes);
            return bytes;
        }
        return outbound.acquire(bytes, frame.command()) ? bytes : 0;
    }

    /** As {@link #reserve}, without waiting: frames the client sends under its lock (resubscriptions, held sends). */
    long reserveNow(Frame frame) {
        long bytes = OutboundBuffer.sizeOf(frame);
        outbound.acquireNow(bytes);
        return bytes;
    }

    /** Gives back room reserved for a frame that was not queued after all. */
    void unreserve(long bytes) {
        outbound.release(bytes);
    }

    /** Queues a frame for writing, waiting for room in the outbound buffer while it is full. */
    void send(Frame frame) {
        long reserved = reserve(frame);
        if (reserved == 0 || !trySend(frame, reserved)) {
            unreserve(reserved);
            throw notConnected(frame.command());
        }
    }

    /** Queues a frame without waiting for room: for callers holding the client's lock. */
    void sendNow(Frame frame) {
        long reserved = reserveNow(frame);
        if (!trySend(frame, reserved)) {
            unreserve(reserved);
            throw notConnected(frame.command());
        }
    }

    /**
     * Queues a frame for writing if the session is up; false when it is closing or closed (the caller then
     * still owns the reservation).
     *
     * @param reserved the room taken for it ({@link #reserve}), given back once it is written
     */
    boolean trySend(Frame frame, long reserved) {
        if (phase != Phase.CONNECTED) {
            return false;
        }
        writer.execute(() -> write(frame, reserved, null));
        return true;
    }

    /**
     * As {@link #trySend}, except that on a sink that writes without blocking the frame is only queued: the
     * caller, once it holds no lock, calls {@link #writeQueuedFrame()}, which writes it on the caller's thread
     * when the writer is idle (no thread hop for a lone frame) and leaves it to the writer lane otherwise.
     */
    boolean tryQueue(Frame frame, long reserved) {
        if (!writesWithoutBlocking()) {
            return trySend(frame, reserved);
        }
        if (phase != Phase.CONNECTED) {
            return false;
        }
        writer.enqueue(() -> write(frame, reserved, null));
        return true;
    }

    /** Follows a successful {@link #tryQueue}. */
    void writeQueuedFrame() {
        if (writesWithoutBlocking()) {
            writer.runHereIfIdle();
        }
    }

    private boolean writesWithoutBlocking() {
        FrameSink current = sink;
        return current != null && current.writesWithoutBlocking();
    }

    /** Sends a frame with a {@code receipt} header without waiting for room (held sends, under the client's lock). */
    CompletableFuture<Frame> sendWithReceiptNow(Frame frame, long timeoutMillis) {
        long reserved = reserveNow(frame);
        CompletableFuture<Frame> future = trySendWithReceipt(frame, timeoutMillis, reserved);
        if (future == null) {
            unreserve(reserved);
            throw notConnected(frame.command());
        }
        return future;
    }

    /**
     * Sends a frame with a {@code receipt} header and returns the future of its RECEIPT, or null (the caller
     * still owning the reservation) when the session is not up. The timeout counts from the write.
     */
    @Nullable CompletableFuture<Frame> trySendWithReceipt(Frame frame, long timeoutMillis, long reserved) {
        if (phase != Phase.CONNECTED) {
            return null;
        }
        String receipt = receipts.nextId("r-");
        Map<String, String> headers = new LinkedHashMap<>(frame.headers());
        headers.put("receipt", receipt);
        CompletableFuture<Frame> future = expectReceipt(receipt, 0, frame.command());
        ReceiptTimer timer = new ReceiptTimer(receipt, future, timeoutMillis, frame.command());
        Frame receipted = new Frame(frame.command(), headers, frame.bodyArray(), frame.bodyOffset(), frame.bodyLength());
        if (phase != Phase.CONNECTED) {
            receipts.withdraw(receipt, future);
            return null;
        }
        writer.execute(() -> write(receipted, reserved, timer));
        return future;
    }

    /** A receipt's timeout, started when its frame has been written. */
    private record ReceiptTimer(String receipt, CompletableFuture<Frame> future, long timeoutMillis, String command) {
    }

    /**
     * Sends DISCONNECT with a receipt, waits (bounded) for the RECEIPT, then closes. The future completes
     * once the connection is closed and the client has been told, whatever the broker did.
     */
    synchronized CompletableFuture<Void> disconnect() {
        if (phase == Phase.CONNECTED) {
            phase = Phase.DISCONNECTING;
            String receipt = receipts.nextId("disconnect-");
            CompletableFuture<Frame> answer = expectReceipt(receipt, 0, "DISCONNECT");
            ReceiptTimer answerTimer = new ReceiptTimer(receipt, answer, settings.receiptTimeoutMillis(), "DISCONNECT");
            writer.execute(() -> write(new Frame("DISCONNECT", Map.of("receipt", receipt), new byte[0]), 0, answerTimer));
            answer.whenComplete((frame, failure) -> {
                if (failure != null) {
                    log.debug("No RECEIPT for DISCONNECT from {}: {}", describe(), failure.getMessage());
                    close(null, null);
                    return;
                }
                FrameSink current = sink;
                long grace = current == null ? 0 : current.peerCloseGraceMillis();
                if (grace <= 0) {
                    close(null, null);
                    return;
                }
                // The broker closes after its RECEIPT (onClosed then closes here); if it does not, we do.
                try {
                    timer.schedule(() -> close(null, null), grace, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    close(null, null);
                }
            });
        } else if (phase != Phase.DISCONNECTING) {
            close(null, null);
        }
        return terminated;
    }

    /** Ends the connection as failed, for a reason its client found (receipts that stopped coming). */
    void failWith(StompException failure) {
        fail(failure, null);
    }

    /** Closes at once, without DISCONNECT. */
    void abort() {
        close(null, null);
    }

    /** Registers interest in a RECEIPT; fails at once if the id is already being watched. */
    CompletableFuture<Frame> expectReceipt(String receipt, long timeoutMillis, String command) {
        return receipts.expect(receipt, timeoutMillis, command);
    }

    /** Writes a frame on the writer lane, then gives back its room and starts its receipt's clock. */
    private void write(Frame frame, long reserved, @Nullable ReceiptTimer receipt) {
        try {
            if (sink != null && !closed.get()) {
                debug(frame, true);
                var observer = settings.observer();
                if (observer != null) {
                    observer.frameWritten(frame, frame.bodyLength());
                }
            }
            onSink(frame.command(), current -> current.write(frame));
        } finally {
            outbound.release(reserved);
            if (receipt != null) {
                receipts.startTimer(receipt.receipt(), receipt.future(), receipt.timeoutMillis(), receipt.command());
            }
        }
    }

    /**
     * After each batch of writes: one socket write for the lot, instead of one per frame. Also once the
     * connection is closed: the sink then hands what it buffered to a closed channel, which releases it.
     */
    private void flush() {
        FrameSink current = sink;
        if (current == null) {
            return;
        }
        if (!closed.get()) {
            onSink("a batch of frames", FrameSink::flush);
            return;
        }
        try {
            current.flush();
        } catch (Exception e) {
            log.debug("Dropping what was left to write to {}: {}", describe(), e.toString());
        }
    }

    private void writeHeartbeat() {
        if (sink != null && !closed.get() && settings.debug() != null) {
            debugLine(settings.formatter().outgoingHeartbeat());
        }
        onSink("a heart-beat", FrameSink::writeHeartbeat);
    }

    private interface SinkAction {
        void run(FrameSink sink) throws Exception;
    }

    /** Runs a write on the open sink; a failure fails the connection, unless it is closing anyway. */
    private void onSink(String what, SinkAction action) {
        FrameSink current = sink;
        if (current == null || closed.get()) {
            log.debug("Not writing {} to {}: connection closed", what, describe());
            return;
        }
        try {
            action.run(current);
            heartbeats.wrote();
        } catch (Exception e) {
            writeFailed(what, e);
        }
    }

    private void writeFailed(String what, Throwable e) {
        // Tyrus may reject a send while it shuts down (tyrus#640); during a disconnect that is expected.
        if (phase == Phase.DISCONNECTING || closed.get()) {
            log.debug("Writing {} to {} failed while closing: {}", what, describe(), e.toString());
        } else {
            fail(Failures.connectionFailed(describe(), e), null);
        }
    }

    // --- TransportHandler: called on transport threads ---

    @Override
    public void onOpen(FrameSink openSink) {
        if (closed.get()) {
            openSink.close();
            return;
        }
        this.sink = openSink;
        backlog.open(openSink);
        this.phase = Phase.CONNECTING;
        heartbeats.read();
        writer.execute(() -> write(new Frame("CONNECT", connectHeaders, new byte[0]), 0, null));
    }

    @Override
    public void onOpenFailure(Throwable cause) {
        fail(Failures.openFailed(describe(), cause), null);
    }

    @Override
    public void onActivity() {
        heartbeats.read();
    }

    @Override
    public void onFrame(Frame frame) {
        // Liveness was stamped by onActivity() for the read that completed this frame.
        if (frame == FrameParser.HEARTBEAT) {
            if (settings.debug() != null) {
                debugLine(settings.formatter().incomingHeartbeat());
            }
            return;
        }
        debug(frame, false);
        var observer = settings.observer();
        if (observer != null) {
            observer.frameRead(frame, frame.bodyLength());
        }
        switch (frame.command()) {
            case "CONNECTED" -> onConnected(frame);
            case "MESSAGE" -> {
                if (phase == Phase.CONNECTED || phase == Phase.DISCONNECTING) {
                    listener.message(this, frame);
                }
            }
            case "RECEIPT" -> receipts.received(frame);
            case "ERROR" -> onError(frame);
            default -> log.debug("Ignoring {} frame from {}", frame.command(), describe());
        }
    }

    /**
     * The frames of one TCP read: their messages are queued on their subscriptions' lanes as they come and
     * each lane is started once, after the last of them, so that a read of many messages wakes a callback
     * thread once. (TCP pauses reading at the socket, so the reader never waits for those callbacks here.)
     */
    @Override
    public void onFrames(List<Frame> frames) {
        if (frames.size() == 1) {
            onFrame(frames.get(0));
            return;
        }
        readingBatch = true;
        try {
            for (Frame frame : frames) {
                onFrame(frame);
            }
        } finally {
            readingBatch = false;
            for (int i = 0; i < batchLanes.size(); i++) {
                batchLanes.get(i).runQueued();
            }
            batchLanes.clear();
        }
    }

    /**
     * Whether a message for this lane is to be only queued now, the lane started at the end of the read
     * ({@link #onFrames}); on the reading thread, which alone touches the batch.
     */
    boolean deferStart(SerialLane lane) {
        if (!readingBatch) {
            return false;
        }
        if (!batchLanes.contains(lane)) {
            batchLanes.add(lane);
        }
        return true;
    }

    @Override
    public void onFailure(Throwable cause) {
        fail(Failures.connectionFailed(describe(), cause), null);
    }

    @Override
    public void onWriteFailure(Throwable cause) {
        writeFailed("a frame", cause);
    }

    @Override
    public void onClosed() {
        if (phase == Phase.DISCONNECTING) {
            close(null, null);
        } else {
            fail(Failures.lost(describe()), null);
        }
    }

    private void onConnected(Frame frame) {
        if (phase != Phase.CONNECTING) {
            log.debug("Ignoring unexpected CONNECTED from {}", describe());
            return;
        }
        Heartbeats.cancel(connectTimeout);
        String negotiated = frame.header("version");
        version = negotiated == null ? "1.0" : negotiated;
        String server = frame.header("server");
        rabbitMq = server != null && server.startsWith("RabbitMQ/");
        HeartbeatTerms terms = HeartbeatTerms.negotiate(
                settings.heartbeatOutgoing(), settings.heartbeatIncoming(), frame.header("heart-beat"));
        heartbeats.start(terms);
        phase = Phase.CONNECTED;
        log.debug("Connected to {} with STOMP {} (heart-beats: send {} ms, expect {} ms)",
                describe(), version, terms.sendEvery(), terms.expectEvery());
        listener.connected(this, frame);
    }

    private void onError(Frame frame) {
        if (rabbitMq && phase != Phase.CONNECTING && "Subscription not found".equals(frame.header("message"))) {
            // RabbitMQ's answer to a delivery (or an ACK) that met a subscription already unsubscribed: a
            // message it had sent before the UNSUBSCRIBE arrived. It keeps the connection open (and the
            // message unacknowledged for it, until it closes), so this ERROR ends nothing.
            log.debug("RabbitMQ at {}: {} ({}); the connection stays open", describe(), frame.header("message"),
                    frame.body().strip());
            return;
        }
        String text = frame.header("message");
        String body = frame.body().strip();
        String detail = text == null || text.isBlank() ? body
                : body.isEmpty() || body.equals(text.strip()) ? text
                : text + " (" + (body.length() > 300 ? body.substring(0, 300) + "..." : body) + ")";
        String receiptId = frame.header("receipt-id");
        StompErrorFrameException failure;
        if (phase == Phase.CONNECTING) {
            failure = new StompErrorFrameException("Broker at " + describe() + " refused CONNECT: " + detail
                    + "; check login, passcode and host (virtual host)", frame);
        } else {
            failure = new StompErrorFrameException("Broker at " + describe() + " sent ERROR: " + detail, frame);
        }
        receipts.failed(receiptId, failure);
        // The broker closes the connection after ERROR (STOMP 1.2); so do we.
        fail(failure, frame);
    }

    /** A heart-beat is due: it goes on the writer lane, after what is queued. */
    void beat() {
        if (writesWithoutBlocking()) {
            // On the timer thread when the writer is idle (the sink never waits): thousands of idle
            // connections beating every few seconds would otherwise keep as many writer threads busy.
            writer.enqueue(this::writeHeartbeat);
            writer.runHereIfIdle();
            return;
        }
        writer.execute(this::writeHeartbeat);
    }

    private void fail(StompException failure, @Nullable Frame errorFrame) {
        if (phase == Phase.DISCONNECTING && errorFrame == null) {
            // Closing was asked for; whatever the transport says now is not news.
            close(null, null);
            return;
        }
        close(failure, errorFrame);
    }

    private void close(@Nullable StompException failure, @Nullable Frame errorFrame) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        phase = Phase.CLOSED;
        Heartbeats.cancel(connectTimeout);
        heartbeats.stop();
        backlog.close();
        outbound.close();
        // The client first (its state is final before anyone waiting on a receipt or on terminated wakes),
        // then the receipts, then the socket.
        listener.closed(this, failure, errorFrame);
        StompException reason = failure != null ? failure
                : new StompConnectionException("Connection to " + describe() + " closed", null);
        receipts.failAll(reason);
        FrameSink current = sink;
        // After the writes already queued, so a DISCONNECT that was answered has left; terminated (what
        // disconnect() returns) completes only once the socket and the transport's threads are released.
        writer.execute(() -> {
            try {
                if (current != null) {
                    current.close();
                }
            } finally {
                // Off the writer lane, which may run on a shared I/O thread: Spring's shutdown may sleep.
                releaseTransport();
            }
        });
        writer.reopen(); // a writer waiting for a socket that stopped taking bytes must still run the close
        if (failure != null) {
            log.debug("Connection to {} ended: {}", describe(), failure.getMessage());
        }
    }

    private StompConnectionException notConnected(String command) {
        return new StompConnectionException("Cannot send " + command + ": not connected to " + describe()
                + (phase == Phase.DISCONNECTING ? " (disconnecting)" : ""), null);
    }

    private void debug(Frame frame, boolean outgoing) {
        if (settings.debug() != null) {
            debugLine(outgoing ? settings.formatter().outgoing(frame) : settings.formatter().incoming(frame));
        }
        if (log.isTraceEnabled()) {
            log.trace("{}", outgoing ? settings.formatter().outgoing(frame) : settings.formatter().incoming(frame));
        }
    }

    private void debugLine(String line) {
        var hook = settings.debug();
        if (hook != null) {
            settings.debugLane().execute(() -> hook.accept(line));
        }
    }
}
