package dev.jstomp;

import org.jspecify.annotations.Nullable;

/**
 * A frame broke the STOMP rules: malformed or oversized from the broker, or invalid on our side
 * (for example a CONNECT header value containing a newline, which CONNECT cannot escape).
 */
public class StompProtocolException extends StompException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was wrong and what to check
     * @param cause the decoder's failure, if any
     */
    public StompProtocolException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
