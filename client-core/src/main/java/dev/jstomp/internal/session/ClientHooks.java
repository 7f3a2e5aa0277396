package dev.jstomp.internal.session;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;

/**
 * Internal hooks for jstomp's own adapters (jstomp-reactor), not for applications: more than one observer
 * of the client's life cycle (the public {@code onStateChange} takes one listener, which is the user's), and
 * a way for a subscription's callback to keep its message counted in the connection's inbound backlog
 * after it returns, so that messages waiting for demand pause reading as messages waiting for a callback do.
 */
public final class ClientHooks {

    private ClientHooks() {
    }

    /** Life-cycle events, run on the client's callback lane in order with the user's listeners. */
    public interface Lifecycle {

        /** A connection was established (first or reconnect); {@code connected} is its CONNECTED frame. */
        default void connected(StompFrame connected) {
        }

        /** The state changed. */
        default void state(ConnectionState state) {
        }

        /** The connection ended with this failure and will not be re-established (reconnect off or given up). */
        default void gaveUp(StompException failure) {
        }

        /** {@code close()} was called: the client and its subscriptions are finished. */
        default void closed() {
        }
    }

    /** Whether {@code client} is jstomp's own (made by {@code Stomp}), which these hooks need. */
    public static boolean supports(StompClient client) {
        return client instanceof DefaultStompClient;
    }

    /**
     * Adds a life-cycle observer; closing the result removes it.
     *
     * @throws IllegalArgumentException when the client is not jstomp's own
     */
    public static AutoCloseable observe(StompClient client, Lifecycle observer) {
        Objects.requireNonNull(observer, "observer");
        return require(client).observe(observer);
    }

    /** The CONNECTED frame of the connection in use, or null while not connected. */
    public static @Nullable StompFrame connectedFrame(StompClient client) {
        return require(client).connectedFrame();
    }

    /** Whether {@code close()} has been called on the client. */
    public static boolean closed(StompClient client) {
        return require(client).isClosed();
    }

    /**
     * Called from a subscription's callback: the message stays counted in its connection's inbound backlog
     * (which pauses reading past its mark) after the callback returns, until the returned release runs (any
     * thread, at most once counts). Null when {@code message} is not one jstomp is delivering now.
     */
    public static @Nullable Runnable holdInBacklog(StompMessage message) {
        return message instanceof InboundMessage inbound ? inbound.hold() : null;
    }

    /** Whether the connection the message came on has closed: its ACK can no longer be sent. */
    public static boolean stale(StompMessage message) {
        return message instanceof InboundMessage inbound && !inbound.connection().isConnected();
    }

    private static DefaultStompClient require(StompClient client) {
        Objects.requireNonNull(client, "client");
        if (client instanceof DefaultStompClient own) {
            return own;
        }
        throw new IllegalArgumentException("Not a jstomp client (" + client.getClass().getName()
                + "): make it with Stomp.client(...), Stomp.overTCP(...) or Stomp.over(...)");
    }
}
