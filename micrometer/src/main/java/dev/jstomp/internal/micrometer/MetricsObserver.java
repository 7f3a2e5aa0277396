package dev.jstomp.internal.micrometer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.StompProtocolException;
import dev.jstomp.StompTimeoutException;
import dev.jstomp.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The {@link StompObserver} behind {@code StompMetrics}: meters registered once (per command, outcome or
 * destination) and looked up from small maps on the hot path, so a frame costs a map read and an increment.
 */
public final class MetricsObserver implements StompObserver {

    /** Commands a client writes or a broker sends; anything else is counted as OTHER, so a broker cannot grow the tags. */
    private static final Set<String> COMMANDS = Set.of("CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK",
            "NACK", "BEGIN", "COMMIT", "ABORT", "DISCONNECT", "CONNECTED", "MESSAGE", "RECEIPT", "ERROR");

    private final MeterRegistry registry;
    private final Tags extraTags;
    private final boolean destinationTag;
    private volatile Tags tags;
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.DISCONNECTED);
    private final Map<String, Timer> callbacks = new ConcurrentHashMap<>();
    private final Map<String, Timer> receipts = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final FrameMeters sent = new FrameMeters("sent", "written", "SEND");
    private final FrameMeters received = new FrameMeters("received", "read", "MESSAGE");
    private volatile @Nullable Timer callbacksSucceeded;
    /** Held here: the gauges hold it weakly. */
    private @Nullable Stats stats;
    private @Nullable Counter connects;
    private @Nullable Counter reconnects;
    private @Nullable Counter lateHeartbeats;
    private @Nullable Timer degradedPeriods;
    /** When the current degraded period began (System.nanoTime), 0 when not degraded; on the client's lock. */
    private long degradedSince;

    /**
     * @param registry where the meters go
     * @param extraTags the user's tags, on every meter
     * @param destinationTag whether message and callback meters are tagged by destination
     */
    public MetricsObserver(MeterRegistry registry, Tags extraTags, boolean destinationTag) {
        this.registry = registry;
        this.extraTags = extraTags;
        this.destinationTag = destinationTag;
        this.tags = extraTags;
    }

    @Override
    public void attached(Stats stats) {
        // Gauges hold their objects weakly (Micrometer's default), so the registry does not keep a dropped client
        // alive; this observer, which the client holds, keeps them for as long as the client lives.
        this.stats = stats;
        tags = BrokerTags.of(stats.address()).and(extraTags);
        for (ConnectionState each : ConnectionState.values()) {
            Gauge.builder("jstomp.connection.state", state, s -> s.get() == each ? 1 : 0)
                    .description("1 for the client's current connection state, 0 for the others")
                    .tags(tags).tag("state", each.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("jstomp.inbound.backlog", stats, Stats::inboundBacklogBytes).baseUnit(BaseUnits.BYTES)
                .description("Bytes of received messages whose callbacks have not finished")
                .tags(tags).register(registry);
        Gauge.builder("jstomp.outbound.buffer", stats, Stats::outboundBufferedBytes).baseUnit(BaseUnits.BYTES)
                .description("Bytes of frames sent and not yet written to the connection (bounded by outboundBufferLimit)")
                .tags(tags).register(registry);
        Gauge.builder("jstomp.sends.held", stats, Stats::heldSends)
                .description("Sends held while reconnecting, waiting for the next connection")
                .tags(tags).register(registry);
        Gauge.builder("jstomp.sends.held.bytes", stats, Stats::heldSendBytes).baseUnit(BaseUnits.BYTES)
                .description("Body bytes of the sends held while reconnecting")
                .tags(tags).register(registry);
        connects = Counter.builder("jstomp.connects").description("STOMP sessions established by connect()")
                .tags(tags).register(registry);
        reconnects = Counter.builder("jstomp.reconnects").description("STOMP sessions re-established automatically")
                .tags(tags).register(registry);
        lateHeartbeats = Counter.builder("jstomp.heartbeats.late")
                .description("Times the broker's heart-beats became late (1.5 intervals of silence)")
                .tags(tags).register(registry);
        degradedPeriods = Timer.builder("jstomp.connection.degraded")
                .description("Periods with the broker's heart-beats late, from the first late beat to traffic again")
                .tags(tags).register(registry);
    }

    @Override
    public void frameWritten(StompFrame frame, int bodyBytes) {
        sent.count(frame, bodyBytes);
    }

    @Override
    public void frameRead(StompFrame frame, int bodyBytes) {
        received.count(frame, bodyBytes);
    }

    @Override
    public void deliver(Subscription subscription, StompMessage message, Consumer<StompMessage> callback) {
        long start = System.nanoTime();
        boolean succeeded = false;
        try {
            callback.accept(message);
            succeeded = true;
        } finally {
            long nanos = System.nanoTime() - start;
            Timer timer = succeeded && !destinationTag ? callbacksSucceeded : null;
            if (timer == null) {
                timer = callbackTimer(succeeded ? "success" : "error", destinationTag ? destination(message) : null);
                if (succeeded && !destinationTag) {
                    callbacksSucceeded = timer;
                }
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void receipt(String command, long nanos, @Nullable Throwable failure) {
        String safe = COMMANDS.contains(command) ? command : "OTHER";
        String outcome = failure == null ? "success" : failure instanceof StompTimeoutException ? "timeout" : "failure";
        receipts.computeIfAbsent(safe + ' ' + outcome, key -> Timer.builder("jstomp.receipts")
                .description("From asking for a RECEIPT to getting it (or to the timeout, ERROR or connection end)")
                .tags(tags).tag("command", safe).tag("outcome", outcome).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void stateChanged(ConnectionState next) {
        state.set(next);
    }

    @Override
    public void connected(String address, boolean reconnect) {
        Counter counter = reconnect ? reconnects : connects;
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void connectionFailed(String address, StompException failure, boolean wasConnected) {
        String reason = reason(failure);
        String phase = wasConnected ? "established" : "connect";
        failures.computeIfAbsent(reason + ' ' + phase, key -> Counter.builder("jstomp.connection.failures")
                .description("Failed connection attempts (phase=connect) and lost sessions (phase=established)")
                .tags(tags).tag("reason", reason).tag("phase", phase).register(registry)).increment();
    }

    @Override
    public void degraded(boolean degraded) {
        Counter late = lateHeartbeats;
        Timer periods = degradedPeriods;
        if (degraded) {
            degradedSince = System.nanoTime();
            if (late != null) {
                late.increment();
            }
        } else if (degradedSince != 0) {
            if (periods != null) {
                periods.record(System.nanoTime() - degradedSince, TimeUnit.NANOSECONDS);
            }
            degradedSince = 0;
        }
    }

    /** A low-cardinality name for what ended a connection; never the message, which names addresses. */
    static String reason(StompException failure) {
        if (failure instanceof StompTimeoutException) {
            return "timeout";
        }
        if (failure instanceof StompErrorFrameException) {
            return "error-frame";
        }
        if (failure instanceof StompProtocolException) {
            return "protocol";
        }
        return "connection";
    }

    private static String destination(StompFrame frame) {
        String destination = frame.header("destination");
        return destination == null ? "none" : destination;
    }

    private Counter counter(Map<String, Counter> cache, String key, String name, String tagKey, String tagValue,
            String description, @Nullable String unit) {
        Counter counter = cache.get(key);
        if (counter == null) {
            counter = cache.computeIfAbsent(key, k -> Counter.builder(name).description(description).baseUnit(unit)
                    .tags(tags).tag(tagKey, tagValue).register(registry));
        }
        return counter;
    }

    private Counter message(Map<String, Counter> cache, String name, String description, StompFrame frame) {
        if (!destinationTag) {
            Counter counter = cache.get("");
            if (counter == null) {
                counter = cache.computeIfAbsent("", k -> Counter.builder(name).description(description)
                        .tags(tags).register(registry));
            }
            return counter;
        }
        String destination = destination(frame);
        return counter(cache, destination, name, "destination", destination, description, null);
    }

    private Timer callbackTimer(String outcome, @Nullable String destination) {
        String key = destination == null ? outcome : outcome + ' ' + destination;
        Timer timer = callbacks.get(key);
        if (timer == null) {
            timer = callbacks.computeIfAbsent(key, k -> {
                Timer.Builder builder = Timer.builder("jstomp.callbacks")
                        .description("Subscription callbacks run, and how long they took").tags(tags)
                        .tag("outcome", outcome);
                return (destination == null ? builder : builder.tag("destination", destination)).register(registry);
            });
        }
        return timer;
    }

    /**
     * The meters of one direction: {@code jstomp.frames.<direction>} and {@code jstomp.frames.<direction>.body}
     * by command, and {@code jstomp.messages.<direction>} for its message frames (SEND written, MESSAGE read),
     * whose three counters are looked up once: a message then costs no set or map reads. Set on first use (a
     * meter appears when first used, as the maps do); racing threads store the same one.
     */
    private final class FrameMeters {
        private final String messageCommand;
        private final String framesName;
        private final String framesDescription;
        private final String bodyName;
        private final String bodyDescription;
        private final String messagesName;
        private final String messagesDescription;
        private final Map<String, Counter> frames = new ConcurrentHashMap<>();
        private final Map<String, Counter> body = new ConcurrentHashMap<>();
        private final Map<String, Counter> messages = new ConcurrentHashMap<>();
        private volatile @Nullable Counter messageFrames;
        private volatile @Nullable Counter messageBody;
        private volatile @Nullable Counter messageCount;

        /**
         * @param direction {@code sent} or {@code received}, in the meter names
         * @param verb {@code written} or {@code read}, in the descriptions
         * @param messageCommand the command of this direction's message frames
         */
        FrameMeters(String direction, String verb, String messageCommand) {
            this.messageCommand = messageCommand;
            framesName = "jstomp.frames." + direction;
            framesDescription = "Frames " + verb + ", by command";
            bodyName = "jstomp.frames." + direction + ".body";
            bodyDescription = "Body bytes " + verb + ", by command";
            messagesName = "jstomp.messages." + direction;
            messagesDescription = "Messages (" + messageCommand + " frames) " + verb;
        }

        void count(StompFrame frame, int bodyBytes) {
            String command = frame.command();
            if (messageCommand.equals(command)) {
                countMessage(frame, bodyBytes);
                return;
            }
            if (!COMMANDS.contains(command)) {
                command = "OTHER";
            }
            frames(command).increment();
            if (bodyBytes > 0) {
                body(command).increment(bodyBytes);
            }
        }

        private void countMessage(StompFrame frame, int bodyBytes) {
            Counter frameCount = messageFrames;
            if (frameCount == null) {
                messageFrames = frameCount = frames(messageCommand);
            }
            frameCount.increment();
            if (bodyBytes > 0) {
                Counter byteCount = messageBody;
                if (byteCount == null) {
                    messageBody = byteCount = body(messageCommand);
                }
                byteCount.increment(bodyBytes);
            }
            Counter count = destinationTag ? null : messageCount;
            if (count == null) {
                count = message(messages, messagesName, messagesDescription, frame);
                if (!destinationTag) {
                    messageCount = count;
                }
            }
            count.increment();
        }

        private Counter frames(String command) {
            return counter(frames, command, framesName, "command", command, framesDescription, null);
        }

        private Counter body(String command) {
            return counter(body, command, bodyName, "command", command, bodyDescription, BaseUnits.BYTES);
        }
    }
}
