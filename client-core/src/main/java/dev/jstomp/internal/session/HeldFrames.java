package dev.jstomp.internal.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompFrame;
import dev.jstomp.internal.frame.Frame;

/**
 * Frames sent while the client is reconnecting, held in order until the next CONNECTED, within a bound
 * on count and bytes. Past the bound a send fails at once, so nothing is dropped silently.
 */
final class HeldFrames {

    /** A held frame and, for a send that asked for a receipt, the caller's future. */
    record Held(Frame frame, @Nullable CompletableFuture<StompFrame> receipt) {
    }

    private final Deque<Held> frames = new ArrayDeque<>();
    private long bytes;

    /**
     * @throws StompConnectionException when holding it would pass either bound
     */
    synchronized void hold(Frame frame, @Nullable CompletableFuture<StompFrame> receipt, int maxMessages,
            long maxBytes, String address) {
        long size = frame.bodyLength();
        if (frames.size() + 1 > maxMessages || bytes + size > maxBytes) {
            throw new StompConnectionException("Cannot hold " + frame.command() + " to '" + frame.header("destination")
                    + "' while reconnecting to " + address + ": the held-send buffer is full (" + frames.size()
                    + " messages, " + bytes + " bytes; limits " + maxMessages + " messages, " + maxBytes
                    + " bytes); see StompClient.heldSendLimit", null);
        }
        frames.addLast(new Held(frame, receipt));
        bytes += size;
    }

    /** Takes everything held, oldest first. */
    synchronized List<Held> drain() {
        List<Held> all = new ArrayList<>(frames);
        frames.clear();
        bytes = 0;
        return all;
    }

    synchronized int size() {
        return frames.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
