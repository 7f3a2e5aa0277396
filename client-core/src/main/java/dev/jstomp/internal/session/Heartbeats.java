package dev.jstomp.internal.session;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompTimeoutException;

/**
 * One connection's heart-beats both ways: when it last read and wrote, beating when it has written nothing
 * for a while, and declaring the broker late (degraded) or gone. Its timestamps are volatile, as they were
 * inside the connection; the degraded flag is the timer thread's alone.
 */
final class Heartbeats {

    private final StompConnection connection;
    private final ConnectionSettings settings;
    private final ScheduledExecutorService timer;
    private final ConnectionListener listener;

    private volatile long lastReadNanos;
    private volatile long lastWriteNanos;
    private volatile @Nullable ScheduledFuture<?> outgoingBeats;
    private volatile @Nullable ScheduledFuture<?> incomingCheck;
    /** Only the timer thread touches it. */
    private boolean degraded;

    Heartbeats(StompConnection connection, ConnectionSettings settings, ScheduledExecutorService timer,
            ConnectionListener listener) {
        this.connection = connection;
        this.settings = settings;
        this.timer = timer;
        this.listener = listener;
    }

    /** Something was read: the broker is alive. */
    void read() {
        lastReadNanos = System.nanoTime();
    }

    /** Something was written: no beat is due yet. */
    void wrote() {
        lastWriteNanos = System.nanoTime();
    }

    /** On CONNECTED: starts beating and watching on the negotiated terms. */
    void start(HeartbeatTerms terms) {
        // Some brokers (ActiveMQ Classic) send their first beat a full two intervals after CONNECTED: give
        // that first one an interval of grace, so a healthy broker is never declared dead at exactly 2x.
        lastReadNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(terms.expectEvery());
        if (terms.sendEvery() > 0) {
            long period = Math.max(1, terms.sendEvery() / 2);
            long idleNanos = TimeUnit.MILLISECONDS.toNanos(period);
            outgoingBeats = timer.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastWriteNanos >= idleNanos) {
                    connection.beat();
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
        if (terms.expectEvery() > 0) {
            long deadMillis = (long) (terms.expectEvery() * settings.deadAfterMissedBeats());
            long lateMillis = terms.expectEvery() * 3 / 2;
            long period = Math.max(1, terms.expectEvery() / 4);
            incomingCheck = timer.scheduleAtFixedRate(() -> {
                if (connection.backlog().paused()) {
                    lastReadNanos = System.nanoTime(); // silent because we stopped reading, not the broker
                }
                long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastReadNanos);
                if (silentMillis > deadMillis) {
                    connection.failWith(new StompTimeoutException("No heart-beat or frame from " + connection.describe()
                            + " for " + silentMillis + " ms (broker promised one every " + terms.expectEvery()
                            + " ms); the broker or the network is gone"));
                } else if ((silentMillis > lateMillis) != degraded) {
                    degraded = !degraded;
                    listener.degraded(connection, degraded);
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** At close. */
    void stop() {
        cancel(outgoingBeats);
        cancel(incomingCheck);
    }

    /** Cancels a scheduled task, if there is one (the connection's connect timeout too). */
    static void cancel(@Nullable ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
