package dev.jstomp.internal.transport;

import dev.jstomp.internal.frame.Frame;

/**
 * Writes frames on one open connection. Called from one writer thread at a time, in order; a write may
 * block (Tyrus writes synchronously), which is why the connection calls it from its writer lane.
 */
public interface FrameSink {

    /** Writes one frame; it may wait in a buffer until {@link #flush()}. */
    void write(Frame frame) throws Exception;

    /** Sends what {@link #write} buffered; called after each batch of writes. */
    default void flush() throws Exception {
    }

    /** Writes one heart-beat (a single EOL). */
    void writeHeartbeat() throws Exception;

    /** Closes the connection; quietly, whatever state it is in. */
    void close();
}
