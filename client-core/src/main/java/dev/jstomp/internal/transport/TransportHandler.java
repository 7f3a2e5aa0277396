package dev.jstomp.internal.transport;

import org.springframework.messaging.Message;

/** What a {@link Transport} reports about one connection. Methods may be called on I/O threads. */
public interface TransportHandler {

    /** The transport is open; frames can be written to the sink. */
    void onOpen(FrameSink sink);

    /** The transport could not be opened. */
    void onOpenFailure(Throwable cause);

    /** A frame (or heart-beat) decoded by Spring's STOMP decoder. */
    void onFrame(Message<byte[]> message);

    /** The transport failed (I/O error, a frame the decoder rejected, an oversized frame). */
    void onFailure(Throwable cause);

    /** The transport is closed. */
    void onClosed();
}
