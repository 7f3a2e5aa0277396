package dev.jstomp.internal.transport;

import java.util.List;

import dev.jstomp.internal.frame.Frame;

/** What a {@link Transport} reports about one connection. Methods may be called on I/O threads. */
public interface TransportHandler {

    /** The transport is open; frames can be written to the sink. */
    void onOpen(FrameSink sink);

    /** The transport could not be opened. */
    void onOpenFailure(Throwable cause);

    /**
     * Bytes arrived (perhaps only part of a frame): the peer is alive. Called for every read, before the
     * frames it completes are passed to {@link #onFrame}; it is the connection's only liveness stamp.
     */
    void onActivity();

    /** The transport can take writes again after {@link FrameSink#writable()} said no. */
    default void onWritable() {
    }

    /**
     * A write that the sink handed on and that completed later failed (a sink that
     * {@linkplain FrameSink#writesWithoutBlocking() writes without blocking}); as if the write had thrown.
     */
    void onWriteFailure(Throwable cause);

    /** A frame, or {@link dev.jstomp.internal.frame.FrameParser#HEARTBEAT}. */
    void onFrame(Frame frame);

    /**
     * The frames one read completed, in order; by default one {@link #onFrame} each. A handler may hand
     * them on as one batch (one wake-up of a callback thread for the lot rather than one per frame).
     * Called on the reading thread, which then returns to reading; it never waits here for callbacks.
     */
    default void onFrames(List<Frame> frames) {
        for (Frame frame : frames) {
            onFrame(frame);
        }
    }

    /** The transport failed (I/O error, a frame the decoder rejected, an oversized frame). */
    void onFailure(Throwable cause);

    /** The transport is closed. */
    void onClosed();
}
