package dev.jstomp.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.Subscription;

/**
 * Several {@link StompObserver}s as one, so that the client's call sites keep one field and one null check
 * whatever the number registered (metrics and tracing are two).
 */
final class Observers implements StompObserver {

    /** An array, walked by index: the per-frame calls allocate no iterator. */
    private final StompObserver[] all;

    private Observers(List<StompObserver> all) {
        this.all = all.toArray(StompObserver[]::new);
    }

    /** The observer to call: {@code added} alone when there was none, else both in registration order. */
    static StompObserver add(@Nullable StompObserver current, StompObserver added) {
        if (current == null) {
            return added;
        }
        List<StompObserver> list = new ArrayList<>();
        if (current instanceof Observers many) {
            list.addAll(List.of(many.all));
        } else {
            list.add(current);
        }
        list.add(added);
        return new Observers(list);
    }

    @Override
    public void attached(Stats stats) {
        // Each observer was told when it was added.
    }

    @Override
    public void frameWritten(StompFrame frame, int bodyBytes) {
        for (StompObserver observer : all) {
            observer.frameWritten(frame, bodyBytes);
        }
    }

    @Override
    public void frameRead(StompFrame frame, int bodyBytes) {
        for (StompObserver observer : all) {
            observer.frameRead(frame, bodyBytes);
        }
    }

    @Override
    public @Nullable Sending sending(StompFrame send, Map<String, String> addHeaders) {
        List<Sending> handles = null;
        for (StompObserver observer : all) {
            Sending handle = observer.sending(send, addHeaders);
            if (handle != null) {
                if (handles == null) {
                    handles = new ArrayList<>(all.length);
                }
                handles.add(handle);
            }
        }
        if (handles == null) {
            return null;
        }
        List<Sending> told = handles;
        return failure -> {
            for (Sending handle : told) {
                handle.done(failure);
            }
        };
    }

    @Override
    public void deliver(Subscription subscription, StompMessage message, Consumer<StompMessage> callback) {
        deliver(0, subscription, message, callback);
    }

    /** The first observer outermost: observer i runs a callback that hands the message to observer i + 1. */
    private void deliver(int index, Subscription subscription, StompMessage message, Consumer<StompMessage> callback) {
        if (index == all.length - 1) {
            all[index].deliver(subscription, message, callback);
        } else {
            all[index].deliver(subscription, message, m -> deliver(index + 1, subscription, m, callback));
        }
    }

    @Override
    public void receipt(String command, long nanos, @Nullable Throwable failure) {
        for (StompObserver observer : all) {
            observer.receipt(command, nanos, failure);
        }
    }

    @Override
    public void stateChanged(ConnectionState state) {
        for (StompObserver observer : all) {
            observer.stateChanged(state);
        }
    }

    @Override
    public void connected(String address, boolean reconnect) {
        for (StompObserver observer : all) {
            observer.connected(address, reconnect);
        }
    }

    @Override
    public void connectionFailed(String address, StompException failure, boolean wasConnected) {
        for (StompObserver observer : all) {
            observer.connectionFailed(address, failure, wasConnected);
        }
    }

    @Override
    public void degraded(boolean degraded) {
        for (StompObserver observer : all) {
            observer.degraded(degraded);
        }
    }
}
