package dev.jstomp.internal.session;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompObserver;
import dev.jstomp.internal.frame.DebugFormatter;

/** The frozen settings one connection runs with. */
record ConnectionSettings(
        long heartbeatOutgoing,
        long heartbeatIncoming,
        long connectTimeoutMillis,
        long receiptTimeoutMillis,
        double deadAfterMissedBeats,
        @Nullable Consumer<String> debug,
        Executor debugLane,
        DebugFormatter formatter,
        long pauseReadingAtBytes,
        long outboundBufferLimit,
        long sendTimeoutMillis,
        @Nullable StompObserver observer) {
}
