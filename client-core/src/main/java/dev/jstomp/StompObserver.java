package dev.jstomp;

import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Watches one client's traffic and life cycle, for metrics and tracing: the service provider interface that
 * {@code jstomp-micrometer} implements (as OkHttp's {@code EventListener} or Vert.x STOMP's frame handlers).
 * Register it before {@code connect} with {@link StompClient#observe}; every method has a default that does
 * nothing, so an observer overrides only what it needs. A client without an observer pays one null check on
 * each of these paths.
 *
 * <pre>{@code
 * client.observe(new StompObserver() {
 *     @Override public void frameWritten(StompFrame frame, int bodyBytes) { sent.increment(); }
 * });
 * }</pre>
 *
 * <h2>Threads</h2>
 * {@link #frameWritten} runs on the connection's writer thread, {@link #frameRead} on its I/O thread: both
 * must return quickly and never block. {@link #sending} runs on the thread that calls {@code send};
 * {@link #deliver} on the subscription's callback thread; {@link #receipt} on the thread that ends the wait
 * (I/O or timer). The life-cycle methods ({@link #stateChanged}, {@link #connected}, {@link #connectionFailed},
 * {@link #degraded}) run on jstomp's threads, under the client's lock, one at a time: record and return, never
 * call back into the client from them.
 *
 * <p>An observer that throws from a frame or life-cycle method is not caught: it is a bug in the observer.
 */
public interface StompObserver {

    /**
     * Called once, when the observer is registered: read-only figures of the client, for gauges.
     *
     * @param stats the client's figures; valid for the client's whole life
     */
    default void attached(Stats stats) {
    }

    /**
     * A frame was handed to the transport (heart-beats excluded); on the writer thread. CONNECT frames
     * are passed too: never record their headers (the passcode is there).
     *
     * @param frame the frame as written
     * @param bodyBytes the length of its body in bytes (0 for frames without one)
     */
    default void frameWritten(StompFrame frame, int bodyBytes) {
    }

    /**
     * A frame was read (heart-beats excluded); on the connection's I/O thread.
     *
     * @param frame the frame as read
     * @param bodyBytes the length of its body in bytes
     */
    default void frameRead(StompFrame frame, int bodyBytes) {
    }

    /**
     * A SEND is about to be queued (or held while reconnecting), on the sender's thread: the observer may add
     * headers to it (a {@code traceparent}, say) and return a handle told how the send ended. Headers the
     * caller gave win over added ones of the same name.
     *
     * @param send the SEND as the caller built it ({@code destination} header, the caller's headers, body)
     * @param addHeaders an empty mutable map: what is {@code put} there is added to this frame's headers
     * @return a handle to be told the outcome, or {@code null} for none
     */
    default @Nullable Sending sending(StompFrame send, Map<String, String> addHeaders) {
        return null;
    }

    /**
     * Runs a subscription's callback for one message, on the subscription's callback thread: an observer may
     * time it or run it in a scope (a consumer span) and must call {@code callback.accept(message)} once.
     * What the callback throws must be let through (the client logs it). Only subscription callbacks come
     * here, not the {@link StompClient#onUnhandledMessage} handler.
     *
     * @param subscription the subscription the message is for
     * @param message the message
     * @param callback the user's callback (or the next observer's wrapper)
     */
    default void deliver(Subscription subscription, StompMessage message, Consumer<StompMessage> callback) {
        callback.accept(message);
    }

    /**
     * A RECEIPT arrived, or the wait for it ended without one.
     *
     * @param command the command of the frame that asked for it (SEND, DISCONNECT, ...)
     * @param nanos from asking (queueing the frame) to the outcome
     * @param failure {@code null} for a RECEIPT, else why there was none (timeout, ERROR, connection end)
     */
    default void receipt(String command, long nanos, @Nullable Throwable failure) {
    }

    /**
     * The connection state changed (the same transitions {@link StompClient#onStateChange} hears).
     *
     * @param state the new state
     */
    default void stateChanged(ConnectionState state) {
    }

    /**
     * A STOMP session was established (CONNECTED received).
     *
     * @param address the broker address, without credentials
     * @param reconnect whether this is an automatic reconnect rather than the first connect
     */
    default void connected(String address, boolean reconnect) {
    }

    /**
     * A connection attempt failed, or an established session was lost; not called for a requested disconnect.
     *
     * @param address the broker address, without credentials
     * @param failure what happened; its message never contains a passcode
     * @param wasConnected whether a session had been established (a loss) or not (a failed attempt)
     */
    default void connectionFailed(String address, StompException failure, boolean wasConnected) {
    }

    /**
     * The broker's heart-beats became late ({@code true}) or traffic resumed ({@code false}), as
     * {@link StompClient#onConnectionDegraded} hears.
     *
     * @param degraded whether the connection is degraded now
     */
    default void degraded(boolean degraded) {
    }

    /** What {@link #sending} returned, told once how the SEND ended. */
    interface Sending {

        /**
         * The SEND was queued for writing (or held for the next connection), or for a send with a receipt,
         * its RECEIPT came; or it failed.
         *
         * @param failure {@code null} on success, else the failure the caller saw
         */
        void done(@Nullable Throwable failure);
    }

    /** Read-only figures of one client; cheap to read from any thread (a gauge's reads). */
    interface Stats {

        /**
         * The first broker address the client was created with, without credentials: {@code "host:port (TCP)"}
         * or the WebSocket URL followed by {@code " (WebSocket)"}.
         */
        String address();

        /** Bytes of received messages whose callbacks have not finished (what inbound flow control counts). */
        long inboundBacklogBytes();

        /**
         * Bytes of frames queued for the connection in use but not yet written (what the outbound buffer's
         * limit bounds); 0 while not connected.
         */
        default long outboundBufferedBytes() {
            return 0;
        }

        /** Sends held while reconnecting, waiting for the next connection. */
        int heldSends();

        /** Body bytes of the held sends. */
        long heldSendBytes();
    }
}
