package dev.jstomp.internal.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompObserver;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.Headers;

/**
 * The client's SENDs: room in the connection's outbound buffer, writing or holding each frame for the next
 * connection (and releasing what is held when none will come), receipts handed to the callback lane, and the
 * {@link StompObserver} hooks around a send. The connection state it reads is the life cycle's, under its
 * {@code lock}; frames are held and drained under that lock too ({@link HeldFrames} also locks itself).
 */
final class SendPath {

    /** The client's log category, the one its users configure. */
    private static final Logger log = LoggerFactory.getLogger(DefaultStompClient.class);

    private final ConnectionLifecycle lifecycle;
    private final Object lock;
    private final Settings settings;
    private final HeldFrames held = new HeldFrames();

    SendPath(ConnectionLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.lock = lifecycle.lock;
        this.settings = lifecycle.settings;
    }

    HeldFrames held() {
        return held;
    }

    void send(String destination, Map<String, String> headers, byte[] body) {
        Frame frame = sendFrame(destination, headers, body);
        StompObserver observing = lifecycle.observer;
        if (observing != null) {
            observedSend(observing, frame);
            return;
        }
        sendFrame(frame);
    }

    private void sendFrame(Frame frame) {
        // Room first, outside the lock: a full buffer makes this wait, and the connection's events need the lock.
        StompConnection reservedOn = lifecycle.currentConnection();
        long reserved = reservedOn == null ? 0 : reservedOn.reserve(frame);
        StompConnection queuedOn = null;
        try {
            synchronized (lock) {
                // Under the lock: a connection that is closing cannot move the client to RECONNECTING meanwhile,
                // so a send at the moment of a loss is either written or held, never refused.
                if (lifecycle.state != ConnectionState.RECONNECTING) {
                    StompConnection current = lifecycle.requireConnection("SEND");
                    long room = current == reservedOn && reserved > 0 ? reserved : current.reserveNow(frame);
                    if (current.tryQueue(frame, room)) {
                        queuedOn = current;
                        if (room == reserved) {
                            reserved = 0;
                        }
                    } else if (room != reserved) {
                        current.unreserve(room);
                    }
                }
                if (queuedOn == null) {
                    hold(frame, null);
                }
            }
        } finally {
            if (reserved > 0) {
                reservedOn.unreserve(reserved);
            }
        }
        if (queuedOn != null) {
            queuedOn.writeQueuedFrame(); // outside the lock: it may write here and now
        }
    }

    /** A send with observers: they add headers (a trace context) and hear how it ended. */
    private void observedSend(StompObserver observing, Frame frame) {
        Map<String, String> added = new LinkedHashMap<>();
        StompObserver.Sending sending = observing.sending(frame, added);
        try {
            sendFrame(withAddedHeaders(frame, added));
        } catch (RuntimeException e) {
            if (sending != null) {
                sending.done(e);
            }
            throw e;
        }
        if (sending != null) {
            sending.done(null);
        }
    }

    /** The observers' headers after the caller's, which win on a clash. */
    private static Frame withAddedHeaders(Frame frame, Map<String, String> added) {
        if (added.isEmpty()) {
            return frame;
        }
        Headers.validate("SEND", added);
        Map<String, String> headers = new LinkedHashMap<>(frame.headers());
        added.forEach(headers::putIfAbsent);
        return new Frame(frame.command(), headers, frame.bodyArray(), frame.bodyOffset(), frame.bodyLength());
    }

    CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, byte[] body) {
        Frame frame = sendFrame(destination, headers, body);
        StompObserver observing = lifecycle.observer;
        if (observing != null) {
            Map<String, String> added = new LinkedHashMap<>();
            StompObserver.Sending sending = observing.sending(frame, added);
            CompletableFuture<StompFrame> receipt;
            try {
                receipt = sendWithReceipt(withAddedHeaders(frame, added));
            } catch (RuntimeException e) {
                if (sending != null) {
                    sending.done(e);
                }
                throw e;
            }
            if (sending != null) {
                receipt.whenComplete((answer, failure) -> sending.done(failure));
            }
            return receipt;
        }
        return sendWithReceipt(frame);
    }

    private CompletableFuture<StompFrame> sendWithReceipt(Frame frame) {
        CompletableFuture<StompFrame> receipt = new CompletableFuture<>();
        StompConnection reservedOn = lifecycle.currentConnection();
        long reserved;
        try {
            reserved = reservedOn == null ? 0 : reservedOn.reserve(frame); // outside the lock, as for send
        } catch (StompException full) {
            receipt.completeExceptionally(full); // through the future, like every other outcome
            return receipt;
        }
        try {
            synchronized (lock) {
                CompletableFuture<Frame> answer = null;
                if (lifecycle.state != ConnectionState.RECONNECTING) {
                    StompConnection current = lifecycle.requireConnection("SEND");
                    long room = current == reservedOn && reserved > 0 ? reserved : current.reserveNow(frame);
                    answer = current.trySendWithReceipt(frame, settings.receiptTimeout().toMillis(), room);
                    if (answer != null && room == reserved) {
                        reserved = 0;
                    } else if (answer == null && room != reserved) {
                        current.unreserve(room);
                    }
                }
                if (answer == null) {
                    try {
                        hold(frame, receipt);
                    } catch (StompConnectionException full) {
                        // A send that asked for a receipt reports through its future, like every other outcome.
                        receipt.completeExceptionally(full);
                    }
                } else {
                    pipe(answer, receipt);
                }
            }
        } finally {
            if (reserved > 0) {
                reservedOn.unreserve(reserved);
            }
        }
        return receipt;
    }

    /** Under lock: holds a frame for the next connection, when the client is (about to be) reconnecting. */
    private void hold(Frame frame, @Nullable CompletableFuture<StompFrame> receipt) {
        boolean reconnecting = lifecycle.state == ConnectionState.RECONNECTING
                || (settings.reconnectDelay() > 0 && !lifecycle.disconnecting && !lifecycle.closed);
        if (!reconnecting) {
            throw new StompConnectionException("Cannot send " + frame.command() + ": the connection to "
                    + lifecycle.reconnect.address().describe() + " is closing", null);
        }
        held.hold(frame, receipt, settings.heldMessages(), settings.heldBytes(), lifecycle.reconnect.address().describe());
    }

    CompletableFuture<StompFrame> watchForReceipt(String receiptId) {
        Objects.requireNonNull(receiptId, "receiptId");
        StompConnection current = lifecycle.requireConnection("a receipted frame");
        return onCallbackThread(current.expectReceipt(receiptId, settings.receiptTimeout().toMillis(), "frame"));
    }

    private static Frame sendFrame(String destination, Map<String, String> headers, byte[] body) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Headers.validate("SEND", headers);
        if (headers.isEmpty()) {
            return new Frame("SEND", Map.of("destination", destination), body);
        }
        Map<String, String> frameHeaders = new LinkedHashMap<>(headers.size() + 2);
        frameHeaders.put("destination", destination);
        headers.forEach(frameHeaders::putIfAbsent);
        return new Frame("SEND", frameHeaders, body);
    }

    /** Receipts arrive on I/O threads; users' continuations must not run there. */
    private CompletableFuture<StompFrame> onCallbackThread(CompletableFuture<Frame> receipt) {
        CompletableFuture<StompFrame> result = new CompletableFuture<>();
        pipe(receipt, result);
        return result;
    }

    private void pipe(CompletableFuture<Frame> receipt, CompletableFuture<StompFrame> result) {
        receipt.whenComplete((frame, failure) -> lifecycle.onClientLane(() -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(frame);
            }
        }));
    }

    /** Under lock, on CONNECTED: writes what was held, without waiting for room (bounded by heldSendLimit). */
    void sendHeld(StompConnection opened) {
        for (HeldFrames.Held frame : held.drain()) {
            if (frame.receipt() == null) {
                opened.sendNow(frame.frame());
            } else {
                pipe(opened.sendWithReceiptNow(frame.frame(), settings.receiptTimeout().toMillis()),
                        frame.receipt());
            }
        }
    }

    /** Under lock: hands what was held and will never be sent to the user (or the log); fails their receipts. */
    void releaseHeld(String why) {
        List<HeldFrames.Held> unsent = held.drain();
        if (unsent.isEmpty()) {
            return;
        }
        StompConnectionException failure = new StompConnectionException(unsent.size()
                + " held frame(s) were not sent to " + lifecycle.reconnect.address().describe() + ": " + why, null);
        List<StompFrame> frames = new java.util.ArrayList<>(unsent.size());
        for (HeldFrames.Held frame : unsent) {
            frames.add(frame.frame());
            if (frame.receipt() != null) {
                lifecycle.onClientLane(() -> frame.receipt().completeExceptionally(failure));
            }
        }
        Consumer<List<StompFrame>> handler = settings.unsentHandler();
        if (handler != null) {
            lifecycle.onClientLane(() -> handler.accept(List.copyOf(frames)));
        } else {
            log.warn("{}; set StompClient.onUnsent(...) to receive them", failure.getMessage());
        }
    }
}
