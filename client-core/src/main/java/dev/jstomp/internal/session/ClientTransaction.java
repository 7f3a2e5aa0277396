package dev.jstomp.internal.session;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.jstomp.StompConnectionException;
import dev.jstomp.Transaction;
import dev.jstomp.internal.frame.Frame;

/** A transaction bound to the connection it began on; the broker aborts it if that connection ends. */
final class ClientTransaction implements Transaction {

    private final String id;
    private final StompConnection connection;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();

    ClientTransaction(String id, StompConnection connection, Runnable onEnd) {
        this.id = id;
        this.connection = connection;
        this.onEnd = onEnd;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void commit() {
        end("COMMIT");
    }

    @Override
    public void abort() {
        end("ABORT");
    }

    private void end(String command) {
        if (!ended.compareAndSet(false, true)) {
            throw new IllegalStateException("Transaction '" + id + "' has already ended");
        }
        onEnd.run();
        if (!connection.isConnected()) {
            throw new StompConnectionException("Cannot " + command + " transaction '" + id + "': its connection to "
                    + connection.describe() + " has closed, and the broker aborted the transaction", null);
        }
        connection.send(new Frame(command, Map.of("transaction", id), new byte[0]));
    }

    @Override
    public String toString() {
        return "Transaction[" + id + "]";
    }
}
