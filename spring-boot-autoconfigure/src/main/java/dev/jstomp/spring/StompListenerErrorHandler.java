package dev.jstomp.spring;

/**
 * Handles a message a {@link StompListener} method could not take: its payload or a header could not be
 * converted, or the method threw. The handler owns the message from then on: with client acks it should
 * {@link dev.jstomp.StompMessage#ack() ack} or {@link dev.jstomp.StompMessage#nack() nack} it (or the broker
 * keeps it unacknowledged). Declare one bean of this type to replace the default, which logs the
 * failure at ERROR with the destination, the listener and the {@code message-id}, and NACKs the message
 * under client acks (RabbitMQ then redelivers it; Artemis and ActiveMQ Classic apply their redelivery and
 * dead-letter settings).
 */
@FunctionalInterface
public interface StompListenerErrorHandler {

    /**
     * Handles a failure; runs on the subscription's callback thread, before its next message.
     *
     * @param failure what failed, with the message
     */
    void handle(StompListenerFailure failure);
}
