package dev.jstomp.internal.session;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompException;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.internal.frame.Frame;

/**
 * One connection's RECEIPTs awaited: their ids, their futures, their timeouts (counted from the write), and
 * failing them all when the connection closes. Lock-free: a concurrent map, as it was inside the connection.
 */
final class PendingReceipts {

    /** The connection's log category, as before this class had its own file. */
    private static final Logger log = LoggerFactory.getLogger(StompConnection.class);

    private final StompConnection connection;
    private final ConnectionSettings settings;
    private final ScheduledExecutorService timer;
    private final ConnectionListener listener;
    /** The connection's own closed flag. */
    private final AtomicBoolean closed;
    private final Map<String, CompletableFuture<Frame>> receipts = new ConcurrentHashMap<>();
    private final AtomicLong receiptIds = new AtomicLong();

    PendingReceipts(StompConnection connection, ConnectionSettings settings, ScheduledExecutorService timer,
            ConnectionListener listener, AtomicBoolean closed) {
        this.connection = connection;
        this.settings = settings;
        this.timer = timer;
        this.listener = listener;
        this.closed = closed;
    }

    /** A new receipt id: {@code prefix} and the next number of this connection. */
    String nextId(String prefix) {
        return prefix + receiptIds.incrementAndGet();
    }

    /** Whether a RECEIPT is awaited (the inbound backlog then keeps reading). */
    boolean awaited() {
        return !receipts.isEmpty();
    }

    /** Registers interest in a RECEIPT; fails at once if the id is already being watched. */
    CompletableFuture<Frame> expect(String receipt, long timeoutMillis, String command) {
        CompletableFuture<Frame> future = new CompletableFuture<>();
        if (receipts.putIfAbsent(receipt, future) != null) {
            future.completeExceptionally(new IllegalArgumentException("Receipt id '" + receipt + "' is already watched"));
            return future;
        }
        if (closed.get()) {
            // close() sets the flag before failing the receipts it finds; this one came too late for that.
            receipts.remove(receipt, future);
            future.completeExceptionally(new StompConnectionException("Connection to " + connection.describe()
                    + " closed", null));
            return future;
        }
        InboundBacklog backlog = connection.backlog();
        if (backlog.paused()) {
            backlog.receiptAwaited(); // the RECEIPT has to be read (a callback may be the one waiting for it)
        }
        var observer = settings.observer();
        if (observer != null) {
            long asked = System.nanoTime();
            future.whenComplete((answer, failure) -> observer.receipt(command, System.nanoTime() - asked, failure));
        }
        future.whenComplete((f, e) -> receipts.remove(receipt, future));
        startTimer(receipt, future, timeoutMillis, command);
        return future;
    }

    /** Drops a receipt whose frame was not sent after all. */
    void withdraw(String receipt, CompletableFuture<Frame> future) {
        receipts.remove(receipt, future);
    }

    void startTimer(String receipt, CompletableFuture<Frame> future, long timeoutMillis, String command) {
        if (timeoutMillis <= 0 || future.isDone()) {
            return;
        }
        try {
            ScheduledFuture<?> timeout = timer.schedule(() -> {
                StompTimeoutException late = new StompTimeoutException("No RECEIPT '" + receipt + "' for " + command
                        + " from " + connection.describe() + " within " + timeoutMillis + " ms of writing it");
                // A receipt that stops coming on a live connection is the client's to act on (receipt stall).
                if (future.completeExceptionally(late) && !closed.get()) {
                    listener.receiptTimedOut(connection, command, late);
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            future.whenComplete((f, e) -> timeout.cancel(false));
        } catch (RejectedExecutionException e) {
            // The client is shutting down its timer: the close that follows fails the receipt.
        }
    }

    /** A RECEIPT frame arrived. */
    void received(Frame frame) {
        String id = frame.header("receipt-id");
        CompletableFuture<Frame> future = id == null ? null : receipts.remove(id);
        if (future == null) {
            log.debug("Ignoring RECEIPT nobody asked for ({}) from {}", id, connection.describe());
            return;
        }
        future.complete(frame);
    }

    /** An ERROR frame named this receipt id: its future fails with the error. */
    void failed(@Nullable String receiptId, StompException failure) {
        if (receiptId != null) {
            CompletableFuture<Frame> future = receipts.remove(receiptId);
            if (future != null) {
                future.completeExceptionally(failure);
            }
        }
    }

    /** The connection closed: every receipt still awaited fails. */
    void failAll(StompException reason) {
        receipts.values().forEach(future -> future.completeExceptionally(reason));
        receipts.clear();
    }
}
