package dev.jstomp.cli;

import java.io.File;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompException;
import dev.jstomp.StompMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jstomp perf [URL...]}: the load generator. P producers and C consumers spread over N connections
 * and D destinations, at full speed or at a fixed rate per producer, for a duration or a number of
 * messages; latency (HdrHistogram) from send to receive and, at a fixed rate, from the intended send time.
 * One live line a second, a summary, and optionally JSON, an HdrHistogram log and an HTML report.
 * Without a URL it starts the embedded Artemis in a child JVM. {@code bench} is an alias.
 */
@Command(name = "perf", aliases = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load generator: P producers and C consumers over N connections and D destinations; "
                + "prints one line a second (rates out and in, p50/p99, in flight, connections up) and a summary "
                + "with p50/p90/p99/p99.9/max latency. With --rate, latency is also counted from each message's "
                + "intended send time (corrected for coordinated omission).",
            "No URL: an embedded Artemis in a child JVM, so that the broker and the load generator do not "
                + "share a heap. Several URLs (a cluster): connections are spread over them in turn."})
final class PerfCommand implements Callable<Integer> {

    static final String SENT_HEADER = "jstomp-perf-sent";
    static final String DUE_HEADER = "jstomp-perf-due";
    /** The warm-up at full speed when none is given: the benchmark runner's cold level, so the two compare. */
    static final long DEFAULT_WARMUP_MESSAGES = 20_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "The broker (several: a cluster); none for an embedded Artemis in a child JVM.")
    private List<String> urls = new ArrayList<>();

    @Option(names = {"-x", "--producers"}, paramLabel = "P", defaultValue = "1", description = "Producers, each on its own thread (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = {"-y", "-c", "--consumers"}, paramLabel = "C", defaultValue = "1", description = "Consumers (default: ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "0", description = "Connections to spread producers and consumers over, in turn; more than P+C leaves some idle (default: one each).")
    int connections;

    @Option(names = {"-r", "--rate"}, paramLabel = "MSGS_PER_S", defaultValue = "0", description = "Messages a second per producer, on a fixed schedule; 0 = as fast as possible (default).")
    double rate;

    @Option(names = {"-z", "--duration"}, paramLabel = "DURATION", converter = Durations.class, description = "How long to send, after the warm-up (default 10s unless --messages).")
    @Nullable Duration duration;

    @Option(names = {"-m", "--messages"}, paramLabel = "N", description = "Messages to send in all, shared by the producers (instead of --duration).")
    @Nullable Long messages;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = Durations.class, description = "Send this long first and let it drain, then measure: the warm-up is not in the summary (default: none; without it and without --rate, --warmup-messages 20000).")
    @Nullable Duration warmup;

    @Option(names = "--warmup-messages", paramLabel = "N", description = "Send N messages first (shared by the producers) and let them drain, then measure; instead of --warmup (default: "
            + "20,000 when there is no --rate and no --warmup, as the benchmark runner's cold level; 0 for none).")
    @Nullable Long warmupMessages;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "1024", description = "Body size in bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--destinations", paramLabel = "D", defaultValue = "1", description = "Destinations; producer i sends to, and consumer i reads from, number i mod D (default: ${DEFAULT-VALUE}).")
    int destinations;

    @Option(names = "--topic", description = "Use topics (every consumer of a topic gets each message) instead of queues.")
    boolean topic;

    @Option(names = "--destination", paramLabel = "PREFIX", description = "Destination names: PREFIX.1 ... PREFIX.D (default: a new /queue/jstomp-perf.RUN or /topic/jstomp-perf.RUN).")
    @Nullable String destination;

    @Option(names = "--ack", paramLabel = "MODE", defaultValue = "auto", description = "auto, client or client-individual; the last two ACK every message (default: ${DEFAULT-VALUE}).")
    String ack;

    @Option(names = "--persistent", description = "Send persistent:true and ask a RECEIPT for every SEND (at most --max-in-flight unconfirmed per producer).")
    boolean persistent;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "1000", description = "With --persistent: SENDs without their RECEIPT yet, per producer (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--heartbeat", paramLabel = "OUT,IN", defaultValue = "10000,10000", description = "Heart-beats each connection offers, milliseconds: sent, wanted; 0 = none (default: ${DEFAULT-VALUE}). RabbitMQ 3.10 Web-STOMP may drop a fast producer's connection while it sends beats: try 0,10000.")
    String heartbeat;

    @Option(names = "--transport", paramLabel = "tcp|ws", description = "The embedded broker's transport (default tcp); with URLs, their scheme decides and this must agree.")
    @Nullable String transport;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON (sent, received, msgs_per_s, latency_us, intervals, ...).")
    @Nullable File json;

    @Option(names = "--hdr", paramLabel = "FILE", description = "Write an HdrHistogram log (one interval histogram a second, microseconds).")
    @Nullable File hdr;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML page with charts of rates, latency over time and the latency distribution.")
    @Nullable File report;

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Producers stop sending. */
    private volatile boolean stopping;
    /** The connections are closing: ACKs and late failures no longer matter. */
    private volatile boolean closing;
    /** When the last interval ended (main thread only). */
    private long lastTick;

    @Override
    public Integer call() throws Exception {
        PerfSettings settings = validate();
        PrintWriter out = spec.commandLine().getOut();
        ChildBroker broker = null;
        try {
            List<String> targets = urls;
            String login = null;
            String passcode = null;
            if (urls.isEmpty()) {
                broker = ChildBroker.start("1g");
                targets = List.of("ws".equals(transport) ? broker.wsUrl() : broker.tcpUrl());
                login = broker.login();
                passcode = broker.passcode();
                out.println("Started embedded Artemis " + broker.version() + " in a child JVM (pid " + broker.pid()
                        + ") on " + targets.get(0) + "; the load generator runs in this JVM (pid "
                        + ProcessHandle.current().pid() + ")");
                out.flush();
            }
            Connector connector = connection.connector(targets.get(0), login, passcode, spec.commandLine().getErr());
            return run(settings, connector, targets, out);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    PerfSettings validate() {
        if (producers < 1 || consumers < 0 || connections < 0 || destinations < 1 || size < 0 || maxInFlight < 1) {
            throw CliException.usage("--producers, --destinations and --max-in-flight must be at least 1; "
                    + "--consumers, --connections and --size at least 0");
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw CliException.usage("--rate must be 0 (as fast as possible) or a positive number of messages a second");
        }
        if (duration != null && messages != null) {
            throw CliException.usage("give --duration or --messages, not both");
        }
        if (warmup != null && warmupMessages != null) {
            throw CliException.usage("give --warmup or --warmup-messages, not both");
        }
        if (warmupMessages != null && warmupMessages != 0 && warmupMessages < producers) {
            throw CliException.usage("--warmup-messages must be at least the number of producers (" + producers + ")");
        }
        if (messages != null && messages < producers) {
            throw CliException.usage("--messages must be at least the number of producers (" + producers + ")");
        }
        if (!List.of("auto", "client", "client-individual").contains(ack)) {
            throw CliException.usage("--ack must be auto, client or client-individual, not '" + ack + "'");
        }
        long[] beats = heartbeat(heartbeat);
        if (transport != null && !List.of("tcp", "ws").contains(transport)) {
            throw CliException.usage("--transport must be tcp or ws, not '" + transport + "'");
        }
        for (String url : urls) {
            BrokerUrl.Kind kind = BrokerUrl.check(url);
            boolean webSocket = url.startsWith("ws");
            if (transport != null && webSocket != transport.equals("ws")) {
                throw CliException.usage("--transport " + transport + " disagrees with " + BrokerUrl.safe(url)
                        + " (" + kind.label() + "); leave --transport out with URLs");
            }
        }
        // At full speed a cold JVM measures the JIT more than the broker: warm up unless told otherwise. A fixed
        // rate gets none by default, as a warm-up at that rate would take as long as the run.
        long warmupCount = warmupMessages != null ? warmupMessages
                : warmup == null && rate == 0 ? Math.max(DEFAULT_WARMUP_MESSAGES, producers) : 0;
        int links = connections > 0 ? connections : producers + consumers;
        String prefix = destination != null ? destination
                : (topic ? "/topic/" : "/queue/") + "jstomp-perf." + RunId.next();
        return new PerfSettings(producers, consumers, links, rate, duration == null && messages == null
                ? Duration.ofSeconds(10) : duration, messages, warmup == null ? Duration.ZERO : warmup,
                warmupCount, size, destinations, topic, prefix, ack,
                persistent, maxInFlight, beats[0], beats[1]);
    }

    /** {@code OUT,IN} as two non-negative millisecond counts. */
    private static long[] heartbeat(String value) {
        String[] parts = value.split(",", -1);
        try {
            if (parts.length == 2) {
                long out = Long.parseLong(parts[0].strip());
                long in = Long.parseLong(parts[1].strip());
                if (out >= 0 && in >= 0) {
                    return new long[] {out, in};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.usage("--heartbeat must be OUT,IN in milliseconds (0 = none), e.g. 0,10000, not '" + value + "'");
    }

    private int run(PerfSettings s, Connector connector, List<String> targets, PrintWriter out) throws Exception {
        long opening = System.nanoTime();
        List<Session> sessions = open(s, connector, targets);
        try {
            double connectSeconds = (System.nanoTime() - opening) / 1e9;
            out.println("perf: " + s.describe() + ", to " + Texts.plural(targets.size(), "broker URL") + " ("
                    + String.join(", ", targets.stream().map(BrokerUrl::safe).toList()) + ")");
            out.println(String.format(Locale.ROOT, "%s up in %.2f s; %s in this JVM",
                    Texts.plural(sessions.size(), "connection"), connectSeconds,
                    Texts.plural(java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount(), "thread")));
            out.flush();
            PerfStats stats = new PerfStats(s.rate() > 0, hdr, System.nanoTime());
            subscribeAll(s, sessions, stats);
            long runStart = System.nanoTime();
            lastTick = runStart;
            if (s.warmsUp()) {
                // A pass of its own, drained before the measured one: its backlog does not reach the figures.
                phase(s, sessions, stats, runStart, s.warmup().isZero() ? null : s.warmup(),
                        s.warmup().isZero() ? Long.valueOf(s.warmupMessages()) : null, true, out);
            }
            long sendEnd = runStart;
            if (failure.get() == null) {
                stats.measureFrom(System.nanoTime());
                sendEnd = phase(s, sessions, stats, runStart, s.duration(), s.messages(), false, out);
            }
            stats.closeLog();
            PerfReport.Summary summary = PerfReport.summary(s, stats, sendEnd, targets.stream().map(BrokerUrl::safe).toList(),
                    sessions.get(0).kind().label());
            PerfReport.print(out, summary);
            if (json != null) {
                PerfReport.writeJson(json.toPath(), summary);
            }
            if (report != null) {
                PerfReport.writeHtml(report.toPath(), summary);
            }
            Throwable failed = failure.get();
            if (failed != null) {
                throw failed instanceof CliException cli ? cli : new CliException(Texts.oneLine(String.valueOf(failed.getMessage())));
            }
            if (summary.missing() > 0) {
                throw new CliException(Texts.count(summary.missing()) + " of " + Texts.count(summary.expected())
                        + " messages not received within " + Texts.duration(connection.timeout()) + " after the last send");
            }
            return Exit.OK;
        } finally {
            stopping = true;
            closing = true;
            closeAll(sessions);
        }
    }

    /** Opens the connections, a few at a time, each on its URL in turn. */
    private List<Session> open(PerfSettings s, Connector connector, List<String> targets) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, s.connections()));
        List<Future<Session>> opening = new ArrayList<>();
        for (int i = 0; i < s.connections(); i++) {
            String target = targets.get(i % targets.size());
            String label = "connection-" + (i + 1);
            opening.add(pool.submit(() -> connector.session(label).url(target).heartbeat(s.heartbeatOut(), s.heartbeatIn()).open()));
        }
        pool.shutdown();
        List<Session> sessions = new ArrayList<>();
        RuntimeException first = null;
        for (Future<Session> f : opening) {
            try {
                sessions.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new CliException(String.valueOf(e.getCause()));
                }
            }
        }
        if (first != null) {
            closeAll(sessions);
            throw first instanceof CliException ? first : new CliException(Texts.oneLine(String.valueOf(first.getMessage())));
        }
        return sessions;
    }

    private void subscribeAll(PerfSettings s, List<Session> sessions, PerfStats stats) {
        Map<String, String> headers = new LinkedHashMap<>(connection.headers());
        headers.put("ack", s.ack());
        List<java.util.concurrent.CompletableFuture<?>> confirmed = new ArrayList<>();
        for (int k = 0; k < s.consumers(); k++) {
            Session session = sessions.get(s.consumerConnection(k));
            String receipt = "perf-sub-" + (k + 1) + "-" + RunId.next();
            Map<String, String> withReceipt = new LinkedHashMap<>(headers);
            withReceipt.put("receipt", receipt);
            try {
                confirmed.add(session.client().watchForReceipt(receipt));
                session.client().subscribe(s.destinationName(k % s.destinations()), message -> onMessage(s, stats, message),
                        withReceipt);
            } catch (StompException e) {
                throw session.explain(e);
            }
        }
        // Topics deliver only to subscriptions that exist when a message arrives: wait until all do.
        for (var c : confirmed) {
            Object result = sessions.get(0).settle(c, "RECEIPT for SUBSCRIBE");
            if (result instanceof CliException cli) {
                throw cli;
            }
            if (result instanceof Throwable t) {
                throw new CliException("SUBSCRIBE failed: " + Texts.oneLine(String.valueOf(t.getMessage())));
            }
        }
    }

    private void onMessage(PerfSettings s, PerfStats stats, StompMessage message) {
        long now = System.nanoTime();
        if (PerfStamp.fitsIn(s.size())) {
            byte[] body = message.binaryBody();
            if (PerfStamp.carries(body)) {
                stats.received(PerfStamp.sent(body), PerfStamp.due(body), now);
            } else {
                stats.received.increment(); // not one of ours: counted, but no latency to take
            }
        } else {
            String sent = message.header(SENT_HEADER);
            if (sent == null) {
                stats.received.increment();
            } else {
                long sentAt = Long.parseLong(sent);
                String due = message.header(DUE_HEADER);
                stats.received(sentAt, due == null ? sentAt : Long.parseLong(due), now);
            }
        }
        if (!s.ack().equals("auto") && !closing) {
            message.ack();
        }
    }

    /**
     * Sends for a duration or a number of messages, then waits for the messages to arrive.
     *
     * @return when sending ended
     */
    private long phase(PerfSettings s, List<Session> sessions, PerfStats stats, long runStart, @Nullable Duration length,
            @Nullable Long messages, boolean warmup, PrintWriter out) throws InterruptedException {
        stopping = false;
        long start = System.nanoTime();
        long end = length == null ? Long.MAX_VALUE : start + length.toNanos();
        CountDownLatch producersDone = new CountDownLatch(s.producers());
        List<Thread> threads = startProducers(s, sessions, stats, producersDone, start, end, messages);
        try {
            return supervise(sessions, stats, producersDone, runStart, start, warmup, out);
        } finally {
            stopping = true;
            threads.forEach(Thread::interrupt);
        }
    }

    private List<Thread> startProducers(PerfSettings s, List<Session> sessions, PerfStats stats,
            CountDownLatch done, long start, long end, @Nullable Long messages) {
        byte[] body = new byte[s.size()];
        Arrays.fill(body, (byte) 'x');
        List<Thread> threads = new ArrayList<>();
        for (int j = 0; j < s.producers(); j++) {
            Session session = sessions.get(s.producerConnection(j));
            String dest = s.destinationName(j % s.destinations());
            int fanout = s.fanout(j % s.destinations());
            long quota = messages == null ? Long.MAX_VALUE
                    : messages / s.producers() + (j < messages % s.producers() ? 1 : 0);
            Thread t = new Thread(() -> {
                try {
                    produce(s, session, dest, fanout, quota, body, stats, start, end);
                } catch (Throwable e) {
                    if (!closing) {
                        failure.compareAndSet(null, e instanceof StompException se ? session.explain(se) : e);
                    }
                } finally {
                    done.countDown();
                }
            }, "jstomp-perf-producer-" + (j + 1));
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private void produce(PerfSettings s, Session session, String dest, int fanout, long quota, byte[] body,
            PerfStats stats, long start, long end) throws InterruptedException {
        RateSchedule schedule = new RateSchedule(RateSchedule.SYSTEM, s.rate(), start);
        Map<String, String> base = new HashMap<>(connection.headers());
        if (s.persistent()) {
            base.put("persistent", "true");
        }
        Semaphore unconfirmed = new Semaphore(s.maxInFlight());
        long timeoutMillis = connection.timeout().toMillis();
        boolean stampInBody = PerfStamp.fitsIn(body.length);
        // With the times in the body, every SEND shares one map: the user's headers (usually none).
        Map<String, String> fixed = Map.copyOf(base);
        for (long i = 0; i < quota && !stopping; i++) {
            long due = schedule.awaitNext();
            // The producer ends its own run, so that a rate times a duration is what is sent.
            if (stopping || due >= end) {
                break;
            }
            // Unpaced, awaitNext() returned the time now: no second clock read.
            long now = schedule.limited() ? System.nanoTime() : due;
            Map<String, String> headers;
            byte[] payload;
            if (stampInBody) {
                headers = fixed;
                payload = PerfStamp.stamped(body, now, due);
            } else {
                headers = new HashMap<>(base.size() + 4);
                headers.putAll(base);
                headers.put(SENT_HEADER, Long.toString(now));
                if (schedule.limited()) {
                    headers.put(DUE_HEADER, Long.toString(due));
                }
                payload = body;
            }
            if (s.persistent()) {
                if (!unconfirmed.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new CliException(Texts.count(s.maxInFlight()) + " SENDs without a RECEIPT for "
                            + Texts.duration(connection.timeout()) + " on " + session.url());
                }
                stats.unconfirmed.incrementAndGet();
                session.client().sendWithReceipt(dest, headers, payload).whenComplete((frame, error) -> {
                    unconfirmed.release();
                    stats.unconfirmed.decrementAndGet();
                    if (error == null) {
                        stats.receipts.increment();
                    } else {
                        stats.errors.increment();
                        if (!closing) {
                            failure.compareAndSet(null, error);
                        }
                    }
                });
            } else {
                session.client().send(dest, headers, payload);
            }
            stats.sent.increment();
            stats.expected.add(fanout);
        }
        if (s.persistent() && !unconfirmed.tryAcquire(s.maxInFlight(), timeoutMillis + 2_000, TimeUnit.MILLISECONDS)) {
            throw new CliException("RECEIPTs missing for SENDs on " + session.url() + " after "
                    + Texts.duration(connection.timeout()));
        }
    }

    /**
     * Prints a live line a second until the producers are done (or the duration is over) and every message
     * is in, or nothing has come for the timeout, or something failed.
     *
     * @return when sending ended
     */
    private long supervise(List<Session> sessions, PerfStats stats, CountDownLatch producersDone, long runStart,
            long start, boolean warmup, PrintWriter out) throws InterruptedException {
        long nextTick = start + 1_000_000_000L;
        long sendEnd = 0;
        long lastReceived = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            // The producers stop themselves at the end: a late one still sends what fell due before it.
            if (sendEnd == 0 && producersDone.getCount() == 0) {
                sendEnd = now;
            }
            long received = stats.received.sum();
            if (received != lastReceived) {
                lastReceived = received;
                lastProgress = now;
            }
            boolean drained = sendEnd != 0 && stats.inFlight() == 0;
            boolean stalled = sendEnd != 0 && now - lastProgress > connection.timeout().toNanos();
            Session lost = sessions.stream().filter(x -> x.failure() != null).findFirst().orElse(null);
            if (lost != null) {
                failure.compareAndSet(null, lost.failed(lost.failure()));
            }
            if (drained || stalled || failure.get() != null) {
                stopping = true;
                producersDone.await(connection.timeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
                tick(stats, sessions, System.nanoTime(), warmup, runStart, out);
                return sendEnd == 0 ? System.nanoTime() : sendEnd;
            }
            if (now >= nextTick) {
                tick(stats, sessions, now, warmup, runStart, out);
                nextTick += 1_000_000_000L;
            }
            LockSupport.parkNanos(Math.max(1_000_000L, Math.min(20_000_000L, nextTick - now)));
        }
    }

    private void tick(PerfStats stats, List<Session> sessions, long now, boolean warmup, long start, PrintWriter out) {
        int up = (int) sessions.stream().filter(x -> x.client().connected()).count();
        PerfStats.Interval i = stats.tick(now, warmup, up);
        long length = now - lastTick;
        lastTick = now;
        if (length < 200_000_000L) {
            return; // the stub at the end of a phase: its samples are in the totals, its rates would be noise
        }
        double at = (now - start) / 1e9;
        stats.keep(i, at);
        out.println(String.format(Locale.ROOT, "%6.1fs%s out %,9.0f/s  in %,9.0f/s  p50 %s  p99 %s  in flight %,d  connections %d/%d",
                at, warmup ? " (warm-up)" : "", i.sentPerSecond(), i.receivedPerSecond(), PerfReport.micros(i.p50()),
                PerfReport.micros(i.p99()), i.inFlight(), up, sessions.size()));
        out.flush();
    }

    private static void closeAll(List<Session> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, sessions.size()));
        sessions.forEach(x -> pool.execute(x::close));
        pool.shutdown();
        try {
            pool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
