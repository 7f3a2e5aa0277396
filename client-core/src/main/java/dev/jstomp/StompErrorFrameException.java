package dev.jstomp;

/** The broker answered with an ERROR frame, for example for bad credentials or a forbidden destination. */
public class StompErrorFrameException extends StompException {

    private static final long serialVersionUID = 1L;

    private final transient StompFrame frame;

    /**
     * Creates an exception for an ERROR frame.
     *
     * @param message what happened and what to check
     * @param frame the ERROR frame
     */
    public StompErrorFrameException(String message, StompFrame frame) {
        super(message);
        this.frame = frame;
    }

    /** The ERROR frame the broker sent. */
    public StompFrame frame() {
        return frame;
    }
}
