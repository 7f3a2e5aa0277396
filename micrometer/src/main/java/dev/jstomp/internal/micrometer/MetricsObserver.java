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
    private final Map<String, Counter> framesSent = new ConcurrentHashMap<>();
    private final Map<String, Counter> framesReceived = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytesSent = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytesReceived = new ConcurrentHashMap<>();
    private final Map<String, Counter> messagesSent = new ConcurrentHashMap<>();
    private final Map<String, Counter> messagesReceived = new ConcurrentHashMap<>();
    private final Map<String, Timer> callbacks = new ConcurrentHashMap<>();
    private final Map<String, Timer> receipts = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final MessageMeters sends = new MessageMeters("SEND", framesSent, "jstomp.frames.sent",
            "Frames written, by command", bytesSent, "jstomp.frames.sent.body", "Body bytes written, by command",
            messagesSent, "jstomp.messages.sent", "Messages (SEND frames) written");
    private final MessageMeters messages = new MessageMeters("MESSAGE", framesReceived, "jstomp.frames.received",
            "Frames read, by command", bytesReceived, "jstomp.frames.received.body", "Body bytes read, by command",
            messagesReceived, "jstomp.messages.received", "Messages (MESSAGE frames) read");
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
        if ("SEND".equals(frame.command())) {
            sends.count(frame, bodyBytes);
            return;
        }
        String command = command(frame);
        counter(framesSent, command, "jstomp.frames.sent", "command", command, "Frames written, by command", null)
                .increment();
        if (bodyBytes > 0) {
            counter(bytesSent, command, "jstomp.frames.sent.body", "command", command, "Body bytes written, by command",
                    BaseUnits.BYTES).increment(bodyBytes);
        }
    }

    @Override
    public void frameRead(StompFrame frame, int bodyBytes) {
        if ("MESSAGE".equals(frame.command())) {
            messages.count(frame, bodyBytes);
            return;
        }
        String command = command(frame);
        counter(framesReceived, command, "jstomp.frames.received", "command", command, "Frames read, by command",
                null).increment();
        if (bodyBytes > 0) {
            counter(bytesReceived, command, "jstomp.frames.received.body", "command", command, "Body bytes read, by command",
                    BaseUnits.BYTES).increment(bodyBytes);
        }
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

    private static String command(StompFrame frame) {
        String command = frame.command();
        return COMMANDS.contains(command) ? command : "OTHER";
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
     * The meters of one kind of message frame (a SEND written or a MESSAGE read), looked up once: a message
     * then costs no set or map reads. Set on first use (a meter appears when first used, as the maps do);
     * racing threads store the same one.
     */
    private final class MessageMeters {
        private final String command;
        private final Map<String, Counter> frames;
        private final String framesName;
        private final String framesDescription;
        private final Map<String, Counter> bodyBytes;
        private final String bodyBytesName;
        private final String bodyBytesDescription;
        private final Map<String, Counter> messages;
        private final String messagesName;
        private final String messagesDescription;
        private volatile @Nullable Counter frameCounter;
        private volatile @Nullable Counter bodyBytesCounter;
        private volatile @Nullable Counter messageCounter;

        MessageMeters(String command, Map<String, Counter> frames, String framesName, String framesDescription,
                Map<String, Counter> bodyBytes, String bodyBytesName, String bodyBytesDescription,
                Map<String, Counter> messages, String messagesName, String messagesDescription) {
            this.command = command;
            this.frames = frames;
            this.framesName = framesName;
            this.framesDescription = framesDescription;
            this.bodyBytes = bodyBytes;
            this.bodyBytesName = bodyBytesName;
            this.bodyBytesDescription = bodyBytesDescription;
            this.messages = messages;
            this.messagesName = messagesName;
            this.messagesDescription = messagesDescription;
        }

        void count(StompFrame frame, int bytes) {
            Counter frameCount = frameCounter;
            if (frameCount == null) {
                frameCounter = frameCount = counter(frames, command, framesName, "command", command, framesDescription,
                        null);
            }
            frameCount.increment();
            if (bytes > 0) {
                Counter byteCount = bodyBytesCounter;
                if (byteCount == null) {
                    bodyBytesCounter = byteCount = counter(bodyBytes, command, bodyBytesName, "command", command,
                            bodyBytesDescription, BaseUnits.BYTES);
                }
                byteCount.increment(bytes);
            }
            Counter messageCount = destinationTag ? null : messageCounter;
            if (messageCount == null) {
                messageCount = message(messages, messagesName, messagesDescription, frame);
                if (!destinationTag) {
                    messageCounter = messageCount;
                }
            }
            messageCount.increment();
        }
    }
}
