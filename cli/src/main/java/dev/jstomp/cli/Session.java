package dev.jstomp.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompFrame;
import dev.jstomp.Subscription;

/**
 * One connected {@link StompClient} as the commands use it: a label for output, the CONNECTED frame, the
 * frame log, and a failure future so that every wait ends early, with the broker's words, when the
 * connection fails or the broker sends ERROR. Made by {@link Connector}.
 */
final class Session implements AutoCloseable {

    private final String label;
    private final String url;
    private final StompClient client;
    private final @Nullable FrameLog frames;
    private final Duration timeout;
    private final CompletableFuture<StompError> failure = new CompletableFuture<>();
    private final List<Inbox> inboxes = new CopyOnWriteArrayList<>();
    private volatile @Nullable StompFrame connected;

    Session(String label, String url, StompClient client, @Nullable FrameLog frames, Duration timeout) {
        this.label = label;
        this.url = url;
        this.client = client;
        this.frames = frames;
        this.timeout = timeout;
    }

    /** The name in output, e.g. {@code alice} or {@code check}. */
    String label() {
        return label;
    }

    /** The broker URL, without credentials. */
    String url() {
        return BrokerUrl.safe(url);
    }

    /** The transport of this session's URL. */
    BrokerUrl.Kind kind() {
        return BrokerUrl.check(url);
    }

    StompClient client() {
        return client;
    }

    /** The CONNECTED frame. */
    StompFrame connected() {
        return Objects.requireNonNull(connected, "not connected yet");
    }

    /** The negotiated STOMP version ("1.0" when the broker did not say). */
    String version() {
        String version = connected().header("version");
        return version == null ? "1.0" : version;
    }

    /** The broker's name and version: the first word of its {@code server} header, or "unknown broker". */
    String server() {
        String server = connected().header("server");
        if (server == null || server.isBlank()) {
            return "unknown broker";
        }
        String first = server.strip().split("\\s+", 2)[0];
        return Texts.cut(first, 40);
    }

    /** The frame log; only for sessions opened with {@code watchFrames()} or {@code --debug}. */
    FrameLog frames() {
        if (frames == null) {
            throw new IllegalStateException("session " + label + " was opened without a frame log");
        }
        return frames;
    }

    Duration timeout() {
        return timeout;
    }

    /** The failure that ended the connection, or {@code null} while it is healthy. */
    @Nullable StompError failure() {
        return failure.getNow(null);
    }

    /** Completes when the connection fails or the broker sends ERROR. */
    CompletableFuture<StompError> failures() {
        return failure;
    }

    /** A new inbox that hears of this session's failure. */
    Inbox inbox() {
        Inbox inbox = new Inbox(this);
        inboxes.add(inbox);
        StompError already = failure();
        if (already != null) {
            inbox.fail(already);
        }
        return inbox;
    }

    /** Subscribes with an inbox as the callback. */
    Subscription subscribe(String destination, Inbox inbox, Map<String, String> headers) {
        return client.subscribe(destination, inbox, headers);
    }

    /**
     * Waits for a future, giving up early when the connection fails.
     *
     * @param what what is awaited, for the message: "a RECEIPT for the SEND"
     * @return the future's value
     * @throws CliException when it did not come in time or the connection failed first
     */
    <T> T await(CompletableFuture<T> future, String what) {
        return await(future, what, timeout);
    }

    /** {@link #await(CompletableFuture, String)} with its own time limit. */
    <T> T await(CompletableFuture<T> future, String what, Duration limit) {
        try {
            CompletableFuture.anyOf(future, failure).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliException("no " + what + " from " + url() + " within " + Texts.duration(limit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            StompFrame frame = cause instanceof StompErrorFrameException refused ? refused.frame() : null;
            throw new CliException(what + " failed: " + describe(String.valueOf(cause.getMessage()), frame));
        }
        if (!future.isDone()) {
            throw failed(Objects.requireNonNull(failure()));
        }
        return future.join();
    }

    /**
     * Explains why an operation failed: the connection's failure in the broker's words when there is
     * one (waiting a moment, since callbacks trail the client's own exceptions), else the exception's text.
     */
    CliException explain(RuntimeException e) {
        try {
            return failed(failure.get(1, TimeUnit.SECONDS));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException none) {
            // no failure reported: the exception is all there is
        }
        return new CliException(Texts.oneLine(String.valueOf(e.getMessage())));
    }

    /**
     * Waits for a future to settle, either way, without giving up early on the connection's failure
     * (client-core fails receipt futures itself when the connection ends or the receipt times out).
     *
     * @return the value, or the failure (unwrapped) as an exception object
     */
    Object settle(CompletableFuture<?> future, String what) {
        try {
            return future.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return new CliException("no " + what + " from " + url() + " within " + Texts.duration(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CliException("interrupted while waiting for " + what);
        }
    }

    /** The one-line failure for a broken connection, in the broker's words where it sent some. */
    CliException failed(StompError error) {
        return new CliException(describe(error));
    }

    /** Text for an error: the ERROR frame's message (and body, when it adds to it), or the client's text. */
    static String describe(StompError error) {
        return describe(error.message(), error.frame());
    }

    private static String describe(String message, @Nullable StompFrame frame) {
        String text = message;
        if (frame != null) {
            String body = Texts.oneLine(frame.body());
            String header = frame.header("message");
            if (!body.isEmpty() && (header == null || !body.contains(header)) && !text.contains(body)) {
                text = text + " (" + body + ")";
            }
        }
        return Texts.oneLine(text);
    }

    // Called by the error callback on the client's connection lane.
    void onFailure(StompError error) {
        if (failure.complete(error)) {
            inboxes.forEach(inbox -> inbox.fail(error));
        }
    }

    void onConnected(StompFrame frame) {
        connected = frame;
    }

    /**
     * Disconnects gracefully and says whether the broker confirmed it with a RECEIPT, which also confirms
     * that every frame sent before the DISCONNECT was processed. Needs the frame log.
     *
     * @return true when the RECEIPT came; false when the broker closed or stayed silent instead (RabbitMQ's
     *     Web-STOMP does)
     * @throws CliException when the broker sent ERROR or the connection failed before the DISCONNECT
     */
    boolean disconnect() {
        CompletableFuture<String> receipt = frames().disconnectReceipt();
        try {
            client.disconnectAsync().get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // disconnectAsync never fails; what the broker did is read below.
        }
        // An ERROR (for a SEND without receipt, say) has reached errorCallback by the time disconnectAsync
        // completes, even if the broker then answered the DISCONNECT too: it wins.
        StompError before = failure();
        if (before != null) {
            throw failed(before);
        }
        // The debug hook trails the client by a moment: give the RECEIPT (or the ERROR) a short while.
        try {
            CompletableFuture.anyOf(receipt, failure).get(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // neither: no receipt
        }
        if (receipt.isDone()) {
            return true;
        }
        StompError error = failure();
        if (error != null) {
            throw failed(error);
        }
        return false;
    }

    /** Disconnects gracefully (DISCONNECT with a receipt, bounded wait) and releases the client's threads. */
    @Override
    public void close() {
        client.close();
    }
}
