package dev.jstomp;

import java.util.Map;

/**
 * A MESSAGE frame delivered to a {@link Subscription}, with the means to acknowledge it.
 *
 * <p>{@code ack} and {@code nack} only make sense for subscriptions made with
 * {@code ack: client} or {@code ack: client-individual}; on an {@code auto} subscription they throw
 * {@link StompException}. The client writes the frame the negotiated protocol version expects
 * (STOMP 1.2: {@code id} = the message's {@code ack} header; 1.1: {@code message-id} and
 * {@code subscription}). Neither call blocks on the network.
 */
public interface StompMessage extends StompFrame {

    /** Acknowledges this message (and, in {@code client} mode, every earlier one of its subscription). */
    default void ack() {
        ack(Map.of());
    }

    /**
     * Acknowledges this message with extra headers, for example {@code Map.of("transaction", tx.id())}.
     *
     * @param headers extra headers for the ACK frame
     */
    void ack(Map<String, String> headers);

    /** Tells the broker this message was not consumed (STOMP 1.1 and later). */
    default void nack() {
        nack(Map.of());
    }

    /**
     * Tells the broker this message was not consumed, with extra headers such as {@code transaction}.
     *
     * @param headers extra headers for the NACK frame
     */
    void nack(Map<String, String> headers);
}
