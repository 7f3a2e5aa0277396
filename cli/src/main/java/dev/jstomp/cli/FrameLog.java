package dev.jstomp.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The client's {@code debug} hook, teed: prints every frame with {@code --debug}, counts frames by their
 * first line ({@code <<< PONG}, {@code >>> PING}, ...), and completes watches when a matching frame
 * passes. The CLI sees heart-beats, the CONNECT it sent and the RECEIPT for DISCONNECT this way: the
 * client reports none of them (receipts for other frames come from {@code watchForReceipt}).
 */
final class FrameLog implements Consumer<String> {

    private final String label;
    private final @Nullable PrintWriter echo;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, String> last = new ConcurrentHashMap<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> disconnectReceipt = new CompletableFuture<>();
    private volatile @Nullable String disconnectReceiptId;

    /**
     * @param label names the connection in echoed output, e.g. {@code alice}
     * @param echo where {@code --debug} prints frames, or {@code null}
     */
    FrameLog(String label, @Nullable PrintWriter echo) {
        this.label = label;
        this.echo = echo;
    }

    @Override
    public void accept(String frame) {
        if (echo != null) {
            synchronized (echo) {
                echo.println("[" + label + "] " + frame.stripTrailing());
                echo.flush();
            }
        }
        String head = firstLine(frame);
        counts.computeIfAbsent(head, k -> new AtomicInteger()).incrementAndGet();
        last.put(head, frame);
        // The hook sees frames in wire order, so the DISCONNECT's receipt id is known before its RECEIPT.
        if (head.equals(">>> DISCONNECT")) {
            disconnectReceiptId = header(frame, "receipt");
        } else if (head.equals("<<< RECEIPT") && disconnectReceiptId != null
                && disconnectReceiptId.equals(header(frame, "receipt-id"))) {
            disconnectReceipt.complete(frame);
        }
        for (Watch watch : watches) {
            if (watch.matches.test(frame) && watch.done.complete(frame)) {
                watches.remove(watch);
            }
        }
    }

    /**
     * Watches for a frame; register before doing what should cause it.
     *
     * @param matches which debug line to wait for
     * @return completes with the first matching line
     */
    CompletableFuture<String> watch(Predicate<String> matches) {
        Watch watch = new Watch(matches, new CompletableFuture<>());
        watches.add(watch);
        return watch.done;
    }

    /**
     * Watches for the {@code n}th frame with this first line, counting from now.
     *
     * @param firstLine e.g. {@code "<<< PONG"}
     * @param n how many more such frames to wait for
     */
    CompletableFuture<String> watchCount(String firstLine, int n) {
        AtomicInteger seen = new AtomicInteger();
        return watch(frame -> firstLine(frame).equals(firstLine) && seen.incrementAndGet() >= n);
    }

    /** Completes with the broker's RECEIPT for the DISCONNECT this client sends (client-core adds the receipt). */
    CompletableFuture<String> disconnectReceipt() {
        return disconnectReceipt;
    }

    /**
     * Completes with a frame with this first line, at once when one has passed already.
     *
     * @param firstLine e.g. {@code ">>> CONNECT"}
     */
    CompletableFuture<String> seen(String firstLine) {
        CompletableFuture<String> future = watch(frame -> firstLine(frame).equals(firstLine));
        String already = last.get(firstLine);
        if (already != null) {
            future.complete(already);
        }
        return future;
    }

    /** The last frame with this first line, e.g. {@code last(">>> CONNECT")}, or {@code null}. */
    @Nullable String last(String firstLine) {
        return last.get(firstLine);
    }

    /** How many frames with this first line passed, e.g. {@code count("<<< PONG")}. */
    int count(String firstLine) {
        AtomicInteger n = counts.get(firstLine);
        return n == null ? 0 : n.get();
    }

    /**
     * Reads a header from a debug line (the first occurrence, as STOMP says; values as the hook shows them).
     *
     * @return the value, or {@code null}
     */
    static @Nullable String header(String frame, String name) {
        String[] lines = frame.split("\n", -1);
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).equals(name)) {
                return lines[i].substring(colon + 1);
            }
        }
        return null;
    }

    private static String firstLine(String frame) {
        int end = frame.indexOf('\n');
        return end < 0 ? frame : frame.substring(0, end);
    }

    private record Watch(Predicate<String> matches, CompletableFuture<String> done) {
    }
}
