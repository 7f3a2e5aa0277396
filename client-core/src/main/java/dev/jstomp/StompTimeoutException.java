package dev.jstomp;

/** Something expected from the broker (CONNECTED, a RECEIPT, a heart-beat) did not arrive in time. */
public class StompTimeoutException extends StompException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what did not arrive, from where, within how long, and what to check
     */
    public StompTimeoutException(String message) {
        super(message);
    }
}
