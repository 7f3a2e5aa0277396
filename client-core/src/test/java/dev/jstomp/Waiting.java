package dev.jstomp;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Awaitility, polling every 10 ms from the start: the default 100 ms adds up over a suite of short waits. */
public final class Waiting {

    private Waiting() {
    }

    public static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }
}
