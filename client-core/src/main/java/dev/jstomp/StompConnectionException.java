package dev.jstomp;

import org.jspecify.annotations.Nullable;

/**
 * The transport failed: a bad URL, an unknown host, a refused or lost connection, or an operation that
 * needs a connection when there is none.
 */
public class StompConnectionException extends StompException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened and what to check
     * @param cause the underlying failure, if any
     */
    public StompConnectionException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
