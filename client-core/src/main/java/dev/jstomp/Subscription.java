package dev.jstomp;

/**
 * A live subscription, returned by {@link StompClient#subscribe}.
 *
 * <p>Closing it is the same as {@link #unsubscribe()}; both are idempotent.
 */
public interface Subscription extends AutoCloseable {

    /** The subscription id sent in SUBSCRIBE, either the caller's {@code id} header or a generated one. */
    String id();

    /** The destination subscribed to. */
    String destination();

    /** Sends UNSUBSCRIBE (when still connected) and stops delivering messages to the callback. */
    void unsubscribe();

    /**
     * Unsubscribes with extra UNSUBSCRIBE headers (for example to remove a durable subscription).
     *
     * @param headers extra UNSUBSCRIBE headers
     */
    void unsubscribe(java.util.Map<String, String> headers);

    /** Same as {@link #unsubscribe()}. */
    @Override
    default void close() {
        unsubscribe();
    }
}
