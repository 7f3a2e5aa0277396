package dev.jstomp;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception jstomp throws or completes a future with. Unchecked.
 *
 * <p>Subtypes say what kind of failure it was: {@link StompConnectionException} (the transport),
 * {@link StompErrorFrameException} (the broker sent ERROR), {@link StompTimeoutException} (something
 * did not arrive in time) and {@link StompProtocolException} (a frame broke the STOMP rules). Messages
 * name the broker address and never contain a passcode.
 */
public class StompException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened and what to check
     */
    public StompException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param message what happened and what to check
     * @param cause the underlying failure
     */
    public StompException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
