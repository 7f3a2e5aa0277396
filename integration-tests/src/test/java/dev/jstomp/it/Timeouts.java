package dev.jstomp.it;

import java.time.Duration;

/** How long the integration tests wait. */
final class Timeouts {

    /** Long enough for a loaded CI machine; a passing test never waits for it. */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** How long "nothing else arrives" is watched: a delivery on loopback takes a few milliseconds. */
    static final Duration QUIET = Duration.ofMillis(700);

    private Timeouts() {
    }
}
