package dev.jstomp;

/**
 * A STOMP transaction opened by {@link StompClient#begin()}.
 *
 * <p>Frames join it by carrying its id in a {@code transaction} header:
 * {@code client.send(dest, Map.of("transaction", tx.id()), body)}. A transaction ends with exactly one
 * {@link #commit()} or {@link #abort()}; a second call throws {@link IllegalStateException}. The broker
 * aborts transactions still open when a connection ends.
 */
public interface Transaction {

    /** The transaction id, unique on its connection. */
    String id();

    /** Sends COMMIT. */
    void commit();

    /** Sends ABORT. */
    void abort();
}
