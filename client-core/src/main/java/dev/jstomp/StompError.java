package dev.jstomp;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What went wrong with a connection, as handed to the {@code errorCallback} of
 * {@link StompClient#connect(String, String, java.util.function.Consumer, java.util.function.Consumer)}.
 *
 * <p>An immutable value. It never contains a passcode.
 */
public final class StompError {

    private final String message;
    private final @Nullable StompFrame frame;
    private final @Nullable Throwable cause;

    /**
     * Creates an error.
     *
     * @param message text for people: what failed and what to check
     * @param frame the ERROR frame, where the broker sent one
     * @param cause the transport failure, where there is one
     */
    public StompError(String message, @Nullable StompFrame frame, @Nullable Throwable cause) {
        this.message = Objects.requireNonNull(message, "message");
        this.frame = frame;
        this.cause = cause;
    }

    /** Text for people: the ERROR frame's {@code message} header, or what failed and what to check. */
    public String message() {
        return message;
    }

    /** The broker's ERROR frame, or {@code null} when the failure was not an ERROR frame. */
    public @Nullable StompFrame frame() {
        return frame;
    }

    /** The underlying exception (a {@link StompException} where jstomp made one), or {@code null}. */
    public @Nullable Throwable cause() {
        return cause;
    }

    @Override
    public String toString() {
        return "StompError[" + message + "]";
    }
}
