package dev.jstomp.cli;

/** Thrown by a check that does not apply to this broker or these options; the row says SKIP and why. */
final class CheckSkipped extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CheckSkipped(String reason) {
        super(reason, null, false, false);
    }
}
