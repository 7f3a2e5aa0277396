package dev.jstomp.json;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompException;

/**
 * A body could not be read as, or a value could not be written to, JSON of the expected type.
 *
 * <p>Thrown by {@link StompJson#read} and {@link StompJson#send}; handed to a subscription's error handler
 * (see {@link JsonSubscribeOptions#onError}) for a message it could not read. The message names the
 * destination, the {@code message-id}, the Java type and Jackson's problem, never the whole body. The
 * cause, when there is one, is Jackson's {@code tools.jackson.core.JacksonException}; there is none when the
 * message was refused for its {@code content-type}.
 */
public class StompJsonException extends StompException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what could not be read or written, and why
     * @param cause Jackson's exception, or {@code null}
     */
    public StompJsonException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
