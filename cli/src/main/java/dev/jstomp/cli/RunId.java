package dev.jstomp.cli;

import java.security.SecureRandom;
import java.util.Locale;

/** Short random ids that make destination names and receipt ids unique per run, so reruns never see stale messages. */
final class RunId {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunId() {
    }

    /** Eight base-36 characters, e.g. {@code k3f9x2ab}. */
    static String next() {
        String id = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36).toLowerCase(Locale.ROOT);
        return (id + "00000000").substring(0, 8);
    }
}
