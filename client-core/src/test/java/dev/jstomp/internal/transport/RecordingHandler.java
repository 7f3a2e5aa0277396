package dev.jstomp.internal.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.jstomp.internal.frame.Frame;

/** A {@link TransportHandler} that records what a sink reports (wake-ups, failed writes) and passes frames on. */
final class RecordingHandler implements TransportHandler {

    final AtomicInteger writableCalls = new AtomicInteger();
    final List<Throwable> writeFailures = new CopyOnWriteArrayList<>();
    private final Consumer<Frame> frames;

    RecordingHandler() {
        this(frame -> { });
    }

    RecordingHandler(Consumer<Frame> frames) {
        this.frames = frames;
    }

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
        frames.accept(frame);
    }

    @Override
    public void onFailure(Throwable cause) {
    }

    @Override
    public void onClosed() {
    }
}
