package dev.jstomp.internal.session;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompException;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompObserver;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.internal.frame.Frame;

/**
 * What each event of the current {@link StompConnection} does to the client: CONNECTED restores subscriptions
 * and held sends, an end reconnects or gives up, MESSAGEs go to their subscription. Called from transport and
 * timer threads; the state it changes is the life cycle's, under its {@code lock}.
 */
final class ConnectionEvents implements ConnectionListener {

    private final ConnectionLifecycle lifecycle;
    private final Object lock;
    private final Settings settings;
    private final Reconnector reconnect;
    private final SendPath sends;
    private final SubscriptionRegistry subscriptions;

    ConnectionEvents(ConnectionLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.lock = lifecycle.lock;
        this.settings = lifecycle.settings;
        this.reconnect = lifecycle.reconnect;
        this.sends = lifecycle.sends;
        this.subscriptions = lifecycle.subscriptions;
    }

    @Override
    public void connected(StompConnection opened, Frame connectedFrame) {
        Consumer<StompFrame> onConnect;
        CompletableFuture<StompFrame> future;
        boolean first;
        synchronized (lock) {
            if (opened != lifecycle.connection) {
                opened.abort();
                return;
            }
            first = reconnect.attempt() == 0 || lifecycle.connectFuture == null || !lifecycle.connectFuture.isDone();
            StompObserver observing = lifecycle.observer;
            if (observing != null) {
                observing.connected(opened.describe(), !first);
            }
            reconnect.connected();
            lifecycle.connectedFrame = connectedFrame;
            lifecycle.tellObservers(observer -> observer.connected(connectedFrame));
            lifecycle.setState(ConnectionState.CONNECTED);
            lifecycle.reportDegraded(false);
            // Without waiting for room (this runs under the lock): what is held is bounded by heldSendLimit.
            subscriptions.resubscribe(opened);
            sends.sendHeld(opened);
            onConnect = first ? lifecycle.connectCallback : null;
            future = lifecycle.connectFuture;
        }
        lifecycle.onClientLane(() -> {
            if (onConnect != null) {
                onConnect.accept(connectedFrame);
            }
            if (future != null) {
                future.complete(connectedFrame);
            }
        });
    }

    @Override
    public void message(StompConnection from, Frame frame) {
        subscriptions.deliver(from, frame);
    }

    @Override
    public void closed(StompConnection ended, @Nullable StompException failure, @Nullable Frame errorFrame) {
        synchronized (lock) {
            if (ended != lifecycle.connection) {
                return;
            }
            lifecycle.connection = null;
            lifecycle.connectedFrame = null;
            ended(failure, errorFrame);
        }
    }

    void failedBeforeOpening(StompException failure) {
        synchronized (lock) {
            if (lifecycle.connection == null
                    && (lifecycle.state == ConnectionState.CONNECTING || lifecycle.state == ConnectionState.RECONNECTING)) {
                ended(failure, null);
            }
        }
    }

    /** Under lock: the connection (or the attempt) is over; reconnect, or give up and release what is held. */
    private void ended(@Nullable StompException failure, @Nullable Frame errorFrame) {
        lifecycle.transactions.clear();
        if (failure != null) {
            StompObserver observing = lifecycle.observer;
            if (observing != null) {
                observing.connectionFailed(reconnect.address().describe(), failure,
                        lifecycle.state == ConnectionState.CONNECTED);
            }
            lifecycle.reportError(failure, errorFrame);
            reconnect.failedOver(lifecycle.state == ConnectionState.CONNECTED);
        }
        int maxAttempts = settings.maxReconnectAttempts();
        if (failure != null && !lifecycle.disconnecting && !lifecycle.closed && settings.reconnectDelay() > 0
                && (maxAttempts == 0 || reconnect.attempt() < maxAttempts)) {
            lifecycle.setState(ConnectionState.RECONNECTING);
            reconnect.schedule();
            return;
        }
        if (failure != null) {
            lifecycle.tellObservers(observer -> observer.gaveUp(failure));
        }
        lifecycle.failConnectFuture(failure != null ? failure : new StompConnectionException(
                "Connecting to " + reconnect.address().describe() + " was cancelled by disconnect()", null));
        sends.releaseHeld(failure != null ? "reconnecting gave up after " + reconnect.attempt() + " attempts"
                : "the client disconnected");
        lifecycle.setState(ConnectionState.DISCONNECTED);
        lifecycle.reportDegraded(false);
    }

    /** The receipt-stall handling is the reconnector's: see {@link Reconnector#receiptTimedOut}. */
    @Override
    public void receiptTimedOut(StompConnection from, String command, StompTimeoutException timeout) {
        reconnect.receiptTimedOut(from, command, timeout);
    }

    @Override
    public void degraded(StompConnection from, boolean degraded) {
        synchronized (lock) {
            if (from == lifecycle.connection) {
                lifecycle.reportDegraded(degraded);
            }
        }
    }
}
