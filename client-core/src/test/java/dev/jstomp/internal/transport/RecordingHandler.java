package dev.jstomp.internal.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jstomp.internal.frame.Frame;

/** A {@link TransportHandler} that records what a sink reports: wake-ups and failed writes. */
final class RecordingHandler implements TransportHandler {

    final AtomicInteger writableCalls = new AtomicInteger();
    final List<Throwable> writeFailures = new CopyOnWriteArrayList<>();

    @Override
    public void onOpen(FrameSink sink) {
    }

    @Override
    public void onOpenFailure(Throwable cause) {
    }

    @Override
    public void onActivity() {
    }

    @Override
    public void onWritable() {
        writableCalls.incrementAndGet();
    }

    @Override
    public void onWriteFailure(Throwable cause) {
        writeFailures.add(cause);
    }

    @Override
    public void onFrame(Frame frame) {
    }

    @Override
    public void onFailure(Throwable cause) {
    }

    @Override
    public void onClosed() {
    }
}
