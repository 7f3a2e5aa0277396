package dev.jstomp.spring;

import dev.jstomp.StompMessage;

/**
 * A message a {@link StompListener} method could not take, for the {@link StompListenerErrorHandler}.
 *
 * @param message the message
 * @param destination the destination of the listener's subscription
 * @param listener the listener method, as {@code Class.method}
 * @param clientAck whether the subscription acknowledges by hand ({@code ack: client} or
 *     {@code client-individual}), so the message waits for an ACK or NACK
 * @param cause the conversion failure or what the method threw
 */
public record StompListenerFailure(StompMessage message, String destination, String listener, boolean clientAck,
        Throwable cause) {

    /** The {@code message-id} header, or {@code "?"} when the broker sent none. */
    public String messageId() {
        String id = message.header("message-id");
        return id == null ? "?" : id;
    }
}
