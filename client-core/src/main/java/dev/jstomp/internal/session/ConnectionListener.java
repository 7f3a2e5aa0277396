package dev.jstomp.internal.session;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompException;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.internal.frame.Frame;

/** What a {@link StompConnection} tells its client. Called on transport threads; implementations hand off. */
interface ConnectionListener {

    /** CONNECTED arrived. */
    void connected(StompConnection connection, Frame connectedFrame);

    /** A MESSAGE arrived. */
    void message(StompConnection connection, Frame message);

    /** Heart-beats from the broker are late (true) or flowing again (false). */
    void degraded(StompConnection connection, boolean degraded);

    /**
     * A RECEIPT did not come within its timeout (its future has failed) while the connection is still open.
     *
     * @param command the receipted frame's command, {@code "frame"} for watchForReceipt, or DISCONNECT
     */
    void receiptTimedOut(StompConnection connection, String command, StompTimeoutException timeout);

    /**
     * The connection is over, once and for all.
     *
     * @param failure why, or {@code null} after a requested disconnect
     * @param errorFrame the broker's ERROR frame when that was the reason
     */
    void closed(StompConnection connection, @Nullable StompException failure, @Nullable Frame errorFrame);
}
