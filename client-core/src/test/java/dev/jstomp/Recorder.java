package dev.jstomp;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records what a client reports through its callbacks, with waiting helpers for the assertions. */
final class Recorder {

    final BlockingQueue<StompFrame> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<StompError> errors = new LinkedBlockingQueue<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<String> debugLines = new CopyOnWriteArrayList<>();
    /** Names of the threads every connection callback ran on. */
    final Set<String> callbackThreads = ConcurrentHashMap.newKeySet();

    Consumer<StompFrame> onConnect() {
        return frame -> {
            callbackThreads.add(Thread.currentThread().getName());
            connected.add(frame);
        };
    }

    Consumer<StompError> onError() {
        return error -> {
            callbackThreads.add(Thread.currentThread().getName());
            errors.add(error);
        };
    }

    Consumer<ConnectionState> onState() {
        return state -> {
            callbackThreads.add(Thread.currentThread().getName());
            states.add(state);
        };
    }

    Consumer<String> debug() {
        return debugLines::add;
    }

    StompFrame awaitConnected() throws InterruptedException {
        return awaitConnected(FakeStompServer.WAIT);
    }

    StompFrame awaitConnected(Duration timeout) throws InterruptedException {
        StompFrame frame = connected.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("not connected within " + timeout + "; errors: " + errors);
        }
        return frame;
    }

    StompError awaitError() throws InterruptedException {
        return awaitError(FakeStompServer.WAIT);
    }

    StompError awaitError(Duration timeout) throws InterruptedException {
        StompError error = errors.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (error == null) {
            throw new AssertionError("no error reported within " + timeout);
        }
        return error;
    }
}
