package dev.jstomp.bench.e2e;

/**
 * One client under test, set up as the workload: a consumer connection subscribed (ack auto) to a
 * destination, and a producer connection sending to it without receipts. {@link #send} is called from one
 * producer thread.
 */
public interface Workload extends AutoCloseable {

    /**
     * Connects the consumer connections (each subscribed, ack auto; several compete for the queue's
     * messages) and the producer connection; every MESSAGE a consumer receives calls {@code inbox.hit()}.
     */
    void start(String destination, Inbox inbox, int consumers) throws Exception;

    /** Sends one message with this body. */
    void send(byte[] body) throws Exception;

    /** Pushes out anything the client buffers (only the raw-socket baseline buffers). */
    default void flush() throws Exception {
    }

    @Override
    void close();
}
