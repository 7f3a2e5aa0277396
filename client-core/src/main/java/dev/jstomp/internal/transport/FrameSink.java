package dev.jstomp.internal.transport;

import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import dev.jstomp.internal.frame.Frame;

/**
 * Writes frames on one open connection. Called from one writer thread at a time, in order; a write may
 * block (Tyrus writes synchronously), which is why the connection calls it from its writer lane.
 */
public interface FrameSink {

    /**
     * Where the connection's writer lane should run, or {@code null} for jstomp's writer threads. A sink
     * that never blocks names its I/O thread, so that a frame reaches the socket without a thread hop of
     * jstomp's own (the write has to reach that thread anyway).
     */
    default @Nullable Executor writeExecutor() {
        return null;
    }

    /**
     * Whether the calling thread is the one the writer lane runs on (a sink's own I/O thread): a sender there
     * must not wait for room in the outbound buffer, since only that thread could make it.
     */
    default boolean onWriterThread() {
        return false;
    }

    /**
     * Whether the peer is taking what was written: when not, the writer lane waits (frames stay queued as
     * frames, not as encoded bytes) until the transport reports {@link TransportHandler#onWritable()}.
     */
    default boolean writable() {
        return true;
    }

    /**
     * Whether {@link #write}, {@link #flush()} and {@link #writeHeartbeat()} never wait for the network, so
     * that a frame may be written on the thread that sends it while the writer lane is idle. Such a sink
     * reports a failed write through {@link TransportHandler#onWriteFailure} once it knows.
     */
    default boolean writesWithoutBlocking() {
        return false;
    }

    /** Writes one frame; it may wait in a buffer until {@link #flush()}. */
    void write(Frame frame) throws Exception;

    /** Sends what {@link #write} buffered; called after each batch of writes. */
    default void flush() throws Exception {
    }

    /** Writes one heart-beat (a single EOL). */
    void writeHeartbeat() throws Exception;

    /**
     * Stops reading from the peer until {@link #resumeReading()}, so that what it sends waits on its side
     * (TCP's flow control); from any thread. A sink that cannot pause says so by returning {@code false}.
     */
    default boolean pauseReading() {
        return false;
    }

    /** Reads again after {@link #pauseReading()}; from any thread. */
    default void resumeReading() {
    }

    /**
     * The connection's reader thread is about to wait, because {@link #pauseReading()} could not pause; the
     * returned action runs when it goes on. A transport whose reader threads are shared by many connections
     * lends the others a thread meanwhile.
     */
    default Runnable readerWaits() {
        return () -> { };
    }

    /**
     * How long to leave the closing to the broker after the RECEIPT for DISCONNECT, in milliseconds (0: close
     * at once). Over WebSocket, Tyrus logs a stack trace (through java.util.logging, on stderr) when the
     * broker's close of the TCP connection crosses a close of our own; brokers close right after that
     * RECEIPT, so waiting for theirs first keeps closing quiet.
     */
    default long peerCloseGraceMillis() {
        return 0;
    }

    /** Closes the connection; quietly, whatever state it is in. */
    void close();
}
