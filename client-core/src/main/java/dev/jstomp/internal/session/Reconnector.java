package dev.jstomp.internal.session;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.internal.resources.Pools;
import dev.jstomp.internal.transport.TransportFactory;

/**
 * Which broker address to try next and when: fail-over between the addresses, each URL's own back-off, the
 * scheduled reconnect, and ending a connection whose receipts have stalled so that reconnecting takes over.
 * All its state is guarded by the life cycle's {@code lock}; every method but {@link #address()} and
 * {@link #receiptTimedOut} is called with that lock held.
 */
final class Reconnector {

    /** The client's log category, the one its users configure. */
    private static final Logger log = LoggerFactory.getLogger(DefaultStompClient.class);
    /**
     * How long after an outage starts the back-off does not grow: a cluster fails over in about this time (a
     * quorum queue elects a leader in about 1 s, an Artemis backup activates in 0.5-1.5 s). Doubling from the
     * first failure would leave a client waiting out a back-off as long as the outage so far just after the
     * broker came back (up to 1.6 s after a 1.5 s outage with reconnectDelay 200 ms); within this window a
     * node that failed is tried again after one to two reconnectDelays, and doubling starts after it.
     */
    static final long FAILOVER_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ConnectionLifecycle lifecycle;
    private final Object lock;
    private final Settings settings;
    private final List<TransportFactory> addresses;

    // Guarded by lifecycle.lock.
    private int reconnectAttempt;
    private int addressIndex;
    /**
     * Per address (same index): connection attempts that failed in a row, and when it may be tried again. Each
     * URL backs off on its own, so a dead node does not delay reconnecting to a live one (a lost connection
     * is not a failed attempt: the node worked).
     */
    private final int[] failedAttempts;
    /** Per address: failures in a row after the failover window, the ones that double its back-off. */
    private final int[] backoffSteps;
    private final long[] retryAtNanos;
    /** When the current outage (a lost connection or a connect() not yet through) began; 0 when connected. */
    private long outageSinceNanos;
    private @Nullable ScheduledFuture<?> reconnectTask;

    Reconnector(ConnectionLifecycle lifecycle, List<TransportFactory> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("At least one broker address is needed");
        }
        this.lifecycle = lifecycle;
        this.lock = lifecycle.lock;
        this.settings = lifecycle.settings;
        this.addresses = List.copyOf(addresses);
        this.failedAttempts = new int[addresses.size()];
        this.backoffSteps = new int[addresses.size()];
        this.retryAtNanos = new long[addresses.size()];
    }

    /** The address in use or next to be tried. */
    TransportFactory address() {
        synchronized (lock) {
            return addresses.get(addressIndex % addresses.size());
        }
    }

    /** The first address, which names the client to observers. */
    TransportFactory firstAddress() {
        return addresses.get(0);
    }

    /** Under lock: reconnect attempts since the last connection (0 when none is under way). */
    int attempt() {
        return reconnectAttempt;
    }

    /** Under lock: a new connect() starts afresh on every address. */
    void reset() {
        reconnectAttempt = 0;
        java.util.Arrays.fill(failedAttempts, 0);
        java.util.Arrays.fill(backoffSteps, 0);
        outageSinceNanos = System.nanoTime();
    }

    /** Under lock: the current address connected, so its back-off ends. */
    void connected() {
        reconnectAttempt = 0;
        failedAttempts[addressIndex % addresses.size()] = 0;
        backoffSteps[addressIndex % addresses.size()] = 0;
        outageSinceNanos = 0;
    }

    /**
     * Under lock: the connection (or attempt) on the current address failed; an attempt that never connected
     * backs that address off, and the next attempt goes to the next address.
     */
    void failedOver(boolean wasConnected) {
        if (outageSinceNanos == 0) {
            outageSinceNanos = System.nanoTime(); // a lost connection starts an outage
        }
        if (!wasConnected) {
            attemptFailed();
        }
        addressIndex = (addressIndex + 1) % addresses.size(); // fail over: next attempt, next address
    }

    /** Under lock: the back-off of an address after {@code failures} failed attempts in a row, jittered. */
    private long backoffMillis(int failures) {
        long delay = Math.min(settings.maxReconnectDelay(), settings.reconnectDelay() << Math.min(failures, 16));
        // Jitter spreads a crowd of clients so a restarted broker is not hit by all at once.
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    /**
     * Under lock: an attempt on the current address failed; it backs off before its next try: one step
     * (reconnectDelay to twice that) within the failover window, doubling per further failure after it.
     */
    private void attemptFailed() {
        int current = addressIndex % addresses.size();
        failedAttempts[current]++;
        long now = System.nanoTime();
        if (outageSinceNanos != 0 && now - outageSinceNanos >= FAILOVER_WINDOW_NANOS) {
            backoffSteps[current]++;
        }
        retryAtNanos[current] = now + TimeUnit.MILLISECONDS.toNanos(backoffMillis(1 + backoffSteps[current]));
    }

    /** Under lock: schedules the next attempt. */
    void schedule() {
        // The next address in turn whose own back-off ends first; one that never failed waits reconnectDelay.
        long now = System.nanoTime();
        long first = backoffMillis(0); // one draw for all, so ties go to the next in turn, not to chance
        long jittered = Long.MAX_VALUE;
        int chosen = 0;
        for (int k = 0; k < addresses.size(); k++) {
            int i = (addressIndex + k) % addresses.size();
            long wait = first;
            if (failedAttempts[i] > 0) {
                wait = Math.max(wait, TimeUnit.NANOSECONDS.toMillis(retryAtNanos[i] - now));
            }
            if (wait < jittered) {
                jittered = wait;
                chosen = k;
            }
        }
        addressIndex = (addressIndex + chosen) % addresses.size();
        reconnectAttempt++;
        Pools res = Objects.requireNonNull(lifecycle.resources);
        log.debug("Reconnecting to {} in {} ms (attempt {})", address().describe(), jittered, reconnectAttempt);
        reconnectTask = res.timer().schedule(() -> {
            synchronized (lock) {
                if (lifecycle.state == ConnectionState.RECONNECTING && !lifecycle.disconnecting && !lifecycle.closed) {
                    lifecycle.openConnection();
                }
            }
        }, jittered, TimeUnit.MILLISECONDS);
    }

    /** Under lock: drops a scheduled attempt. */
    void cancel() {
        ScheduledFuture<?> task = reconnectTask;
        if (task != null) {
            task.cancel(false);
            reconnectTask = null;
        }
    }

    /**
     * A SEND's receipt timed out on a connection that still looks alive: the broker has stopped confirming
     * (RabbitMQ 3.10 rejects every publish of a channel opened while a quorum queue elects its leader, and
     * Web-STOMP drops the rejections). With reconnect on, that connection is ended as failed, so the
     * application hears it (errorCallback, RECONNECTING, the other receipts fail) and a new connection, to
     * the next URL, takes over. Without reconnect only the future fails. watchForReceipt's own ids and
     * DISCONNECT are left alone: a watched id may never have been sent.
     */
    void receiptTimedOut(StompConnection from, String command, StompTimeoutException timeout) {
        synchronized (lock) {
            if (from != lifecycle.connection || lifecycle.state != ConnectionState.CONNECTED || lifecycle.disconnecting
                    || lifecycle.closed || settings.reconnectDelay() <= 0 || !command.equals("SEND")) {
                return;
            }
        }
        from.failWith(new StompTimeoutException("Receipts stopped coming from " + from.describe()
                + " on a connection that is otherwise up (" + timeout.getMessage() + "); reconnecting. "
                + "Resend what was not receipted; on a RabbitMQ cluster a quorum queue may be electing a leader"));
    }
}
