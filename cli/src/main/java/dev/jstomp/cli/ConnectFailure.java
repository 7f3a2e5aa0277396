package dev.jstomp.cli;

import dev.jstomp.StompError;

/** A connection that could not be made, with the client's error (and the broker's ERROR frame, if it sent one). */
final class ConnectFailure extends CliException {

    private static final long serialVersionUID = 1L;

    private final transient StompError error;

    ConnectFailure(StompError error) {
        super(Session.describe(error));
        this.error = error;
    }

    /** What the client reported; {@code error().frame()} is the broker's ERROR, where there was one. */
    StompError error() {
        return error;
    }
}
