package dev.jstomp.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;

import dev.jstomp.FrameFuzzer;
import dev.jstomp.FrameFuzzer.Case;
import dev.jstomp.FrameFuzzer.Expected;
import dev.jstomp.StompProtocolException;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.frame.FrameParser;

/**
 * Fuzzes the inbound path below the session: at least 10,000 generated cases (well-formed frames, broken
 * ones, garbage) each through a fresh {@link InboundFrameCodec} as Reactor Netty drives it (a cumulating
 * buffer, random read sizes, splits anywhere, CRLFs included) and through a fresh {@link WebSocketFrameReader}
 * (random WebSocket message splits), both on {@link FrameParser}.
 * Well-formed input must decode to exactly the frames generated, whatever the splits; broken input may
 * only fail with the decoder's own exceptions, never lose the good frames before it, never hold more than
 * the limit undecoded, and never take long. The seed is printed; replay with {@code -Djstomp.fuzz.seed=N}
 * ({@code -Djstomp.fuzz.cases=N} for more).
 */
class InboundFuzzTest {

    private static final int LIMIT = 16 * 1024;
    private static final int CASES = Integer.getInteger("jstomp.fuzz.cases", 10_000);
    private static final long SEED = Long.getLong("jstomp.fuzz.seed", System.nanoTime());
    private static final long SLOW_CASE_NANOS = 1_000_000_000L;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final long LARGE_FRAME_MILLIS = 500;
    /** Netty's largest read (its adaptive receive buffer stops at 64 KiB). */
    private static final int TCP_READ = 64 * 1024;
    /** Tyrus's incoming buffer, as TransportFactory sizes it: the largest single WebSocket message. */
    private static final int WEBSOCKET_MESSAGE = LIMIT + 64 * 1024;

    private enum Reader { TCP, WEBSOCKET }

    @Test
    void generatedFramesThroughTheTcpCodec() {
        fuzz(Reader.TCP);
    }

    @Test
    void generatedFramesThroughTheWebSocketReader() {
        fuzz(Reader.WEBSOCKET);
    }

    /** A broker that ends its lines with CRLF: a read may end between the CR and the LF, anywhere. */
    @Test
    void crlfSplitAcrossTwoReadsIsNotAnError() {
        byte[] frame = "\r\nMESSAGE\r\nsubscription:sub-1\r\nmessage-id:1\r\n\r\nbody\0\r\n".getBytes(StandardCharsets.UTF_8);
        for (Reader reader : Reader.values()) {
            for (int split = 1; split < frame.length; split++) {
                Outcome outcome = feed(reader, List.of(slice(frame, 0, split), slice(frame, split, frame.length)));
                assertThat(outcome.failure).as("%s, split after byte %d", reader, split).isNull();
                assertThat(outcome.frames).hasSize(1);
            }
        }
    }

    /** maxFrameSize is "the largest inbound frame accepted": a bigger one must fail, however it arrives. */
    @Test
    void frameOverTheLimitIsRefusedEvenWhenItArrivesInOneRead() {
        byte[] body = new byte[LIMIT + 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        byte[] frame = concat("MESSAGE\nsubscription:s\nmessage-id:1\n\n".getBytes(StandardCharsets.UTF_8), body,
                new byte[] {0});
        byte[] headers = concat("MESSAGE\nsubscription:s\nx:".getBytes(StandardCharsets.UTF_8), body,
                "\n\nsmall body\0".getBytes(StandardCharsets.UTF_8));
        for (Reader reader : Reader.values()) {
            for (byte[] oversized : List.of(frame, headers)) {
                Outcome outcome = feed(reader, List.of(oversized));
                assertThat(outcome.frames).as(reader + ": frames delivered").isEmpty();
                assertThat(outcome.failure).as(reader.name()).isInstanceOf(StompProtocolException.class);
            }
        }
    }

    /**
     * A good frame completed by a WebSocket message that also starts an oversized one must be delivered
     * before the failure, as over TCP ("no lost frames").
     */
    @Test
    void goodFrameCompletedByAMessageThatStartsAnOversizedOneIsDelivered() {
        byte[] good = "MESSAGE\nsubscription:s\nmessage-id:1\n\nhello\0".getBytes(StandardCharsets.UTF_8);
        byte[] oversized = new byte[LIMIT];
        java.util.Arrays.fill(oversized, (byte) 'z');
        byte[] start = concat("MESSAGE\nsubscription:s\n\n".getBytes(StandardCharsets.UTF_8), oversized);
        Outcome outcome = feed(Reader.WEBSOCKET, List.of(slice(good, 0, 10), concat(slice(good, 10, good.length), start)));
        assertThat(outcome.frames).extracting(Frame::body).containsExactly("hello");
        assertThat(outcome.failure).isInstanceOf(StompProtocolException.class);
    }

    /**
     * A large frame read 64 KiB at a time (or in 64 KiB WebSocket messages, as RabbitMQ and jstomp split them)
     * must cost time linear in its size, with or without content-length: a broker's 16 MiB message (or a
     * hostile trickle) must stay cheap.
     */
    @Test
    void largeFrameInManyReadsParsesInLinearTime() {
        int size = Integer.getInteger("jstomp.fuzz.largeFrame", 16 * 1024 * 1024);
        List<String> slow = new ArrayList<>();
        for (boolean contentLength : new boolean[] {false, true}) {
            byte[] body = new byte[size];
            java.util.Arrays.fill(body, (byte) 'q');
            byte[] frame = concat(("MESSAGE\nsubscription:s\nmessage-id:1\n" + (contentLength ? "content-length:" + size
                    + "\n" : "") + "\n").getBytes(StandardCharsets.UTF_8), body, new byte[] {0});
            List<byte[]> reads = new ArrayList<>();
            for (int from = 0; from < frame.length; from += TCP_READ) {
                reads.add(slice(frame, from, Math.min(frame.length, from + TCP_READ)));
            }
            for (Reader reader : Reader.values()) {
                long t0 = THREADS.getCurrentThreadCpuTime();
                Outcome outcome = reader == Reader.TCP ? feedTcp(reads, 32 * 1024 * 1024)
                        : feedWebSocket(reads, 32 * 1024 * 1024);
                long millis = (THREADS.getCurrentThreadCpuTime() - t0) / 1_000_000;
                System.out.printf("InboundFuzzTest %s: a %d MiB frame %s content-length in %d reads of 64 KiB parsed in"
                        + " %d ms of CPU%n", reader, size / (1024 * 1024), contentLength ? "with" : "without", reads.size(), millis);
                assertThat(outcome.failure).isNull();
                assertThat(outcome.frames).hasSize(1);
                if (millis > LARGE_FRAME_MILLIS) {
                    slow.add(reader + (contentLength ? " with" : " without") + " content-length: " + millis + " ms");
                }
            }
        }
        assertThat(slow).as("parses slower than %d ms", LARGE_FRAME_MILLIS).isEmpty();
    }

    private void fuzz(Reader reader) {
        FrameFuzzer fuzzer = new FrameFuzzer(SEED, LIMIT);
        Map<String, Integer> failures = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        long frames = 0;
        long overLimit = 0;
        long bytes = 0;
        long slowest = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < CASES && problems.size() < 20; i++) {
            Case generated = fuzzer.next();
            List<byte[]> chunks = fuzzer.chunks(generated.bytes(), reader == Reader.TCP ? TCP_READ : WEBSOCKET_MESSAGE);
            // CPU time of this thread: a GC pause or a busy machine is not the parser being slow.
            long start = THREADS.getCurrentThreadCpuTime();
            Outcome outcome = feed(reader, chunks);
            long took = THREADS.getCurrentThreadCpuTime() - start;
            slowest = Math.max(slowest, took);
            frames += outcome.frames.size();
            overLimit += outcome.frames.stream().filter(frame -> frame.bodyBytes().length > LIMIT).count();
            bytes += generated.bytes().length;
            if (outcome.failure != null) {
                failures.merge(outcome.failure.getClass().getSimpleName(), 1, Integer::sum);
            }
            String problem = check(generated, outcome, took, reader);
            if (problem != null) {
                problems.add("case " + i + ", " + generated + ": " + problem + "; first bytes: "
                        + HexFormat.of().formatHex(generated.bytes(), 0, Math.min(96, generated.bytes().length)));
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("InboundFuzzTest %s: seed %d (-Djstomp.fuzz.seed=%d), %d cases, %d bytes, %d frames decoded"
                + " (%d over the limit), failures %s, slowest case %d ms (CPU), %d ms in all%n", reader, SEED, SEED, CASES,
                bytes, frames, overLimit, failures, slowest / 1_000_000, millis);
        assertThat(problems).as("seed %d", SEED).isEmpty();
    }

    /** Null when the outcome is acceptable for this input. */
    private static String check(Case generated, Outcome outcome, long nanos, Reader reader) {
        if (outcome.failure != null && !expected(outcome.failure)) {
            return "unexpected exception " + stack(outcome.failure);
        }
        if (nanos > SLOW_CASE_NANOS) {
            return "took " + nanos / 1_000_000 + " ms of CPU";
        }
        if (outcome.maxPending > LIMIT + 4L) {
            return "held " + outcome.maxPending + " undecoded bytes, over the limit of " + LIMIT;
        }
        for (Frame frame : outcome.frames) {
            // Memory bound: the limit plus one read (frameOverTheLimitIsRefusedEvenWhenItArrivesInOneRead is stricter).
            if (frame.bodyBytes().length > LIMIT + TCP_READ) {
                return "delivered a " + frame.bodyBytes().length + "-byte body, over the limit of " + LIMIT
                        + " plus one read";
            }
        }
        if (generated.wellFormed()) {
            if (outcome.failure != null) {
                return "well-formed input failed: " + stack(outcome.failure);
            }
            if (outcome.frames.size() != generated.frames().size()) {
                return "decoded " + outcome.frames.size() + " frames, expected " + generated.frames().size();
            }
        } else if (outcome.frames.size() < generated.frames().size()) {
            return "lost good frames before the broken one: decoded " + outcome.frames.size() + ", expected at least "
                    + generated.frames().size();
        }
        for (int k = 0; k < Math.min(generated.frames().size(), outcome.frames.size()); k++) {
            String mismatch = compare(generated.frames().get(k), outcome.frames.get(k));
            if (mismatch != null) {
                return "frame " + k + ": " + mismatch;
            }
        }
        return null;
    }

    /** The parser's own failure, with a message for people; anything else escaping is a bug. */
    private static boolean expected(Throwable failure) {
        return failure instanceof StompProtocolException && failure.getMessage() != null
                && !failure.getMessage().isBlank();
    }

    private static String compare(Expected expected, Frame actual) {
        if (!actual.command().equals(expected.command())) {
            return "command " + actual.command() + ", expected " + expected.command();
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : expected.headers()) {
            wanted.putIfAbsent(header.getKey(), header.getValue()); // the first of a repeated header wins
        }
        if (!wanted.equals(actual.headers())) {
            return "headers " + actual.headers() + ", expected " + wanted;
        }
        if (!java.util.Arrays.equals(expected.body(), actual.bodyBytes())) {
            return "body of " + actual.bodyBytes().length + " bytes differs from the " + expected.body().length
                    + " sent";
        }
        return null;
    }

    /** What a connection's reader made of a byte stream. */
    private static final class Outcome {
        final List<Frame> frames = new ArrayList<>();
        Throwable failure;
        long maxPending;
    }

    private static Outcome feed(Reader reader, List<byte[]> chunks) {
        return reader == Reader.TCP ? feedTcp(chunks) : feedWebSocket(chunks);
    }

    /** As Reactor Netty: bytes cumulate (amortized, as Netty's cumulator); after each read the codec takes the complete frames. */
    private static Outcome feedTcp(List<byte[]> chunks) {
        return feedTcp(chunks, LIMIT);
    }

    private static Outcome feedTcp(List<byte[]> chunks, int limit) {
        Outcome outcome = new Outcome();
        InboundFrameCodec codec = new InboundFrameCodec(limit);
        codec.deliverTo(new RecordingHandler(frame -> addFrames(outcome, List.of(frame))));
        byte[] cumulation = new byte[1024];
        int start = 0;
        int end = 0;
        try {
            for (byte[] chunk : chunks) {
                if (end + chunk.length > cumulation.length) {
                    int pending = end - start;
                    byte[] grown = pending + chunk.length > cumulation.length / 2
                            ? new byte[Math.max(cumulation.length * 2, pending + chunk.length)] : cumulation;
                    System.arraycopy(cumulation, start, grown, 0, pending);
                    cumulation = grown;
                    start = 0;
                    end = pending;
                }
                System.arraycopy(chunk, 0, cumulation, end, chunk.length);
                end += chunk.length;
                ByteBuffer input = ByteBuffer.wrap(cumulation, start, end - start);
                // Netty's ByteToMessageDecoder calls again while a call consumed bytes and some remain.
                int before;
                do {
                    before = input.position();
                    codec.decodeInternal(input);
                } while (input.position() != before && input.hasRemaining());
                start = input.position();
                outcome.maxPending = Math.max(outcome.maxPending, end - start);
            }
        } catch (RuntimeException | Error e) {
            outcome.failure = e;
        }
        return outcome;
    }

    /** As WebSocketTransport: each chunk is one WebSocket message, text when it is valid UTF-8. */
    private static Outcome feedWebSocket(List<byte[]> chunks) {
        return feedWebSocket(chunks, LIMIT);
    }

    private static Outcome feedWebSocket(List<byte[]> chunks, int limit) {
        Outcome outcome = new Outcome();
        WebSocketFrameReader reader = new WebSocketFrameReader(limit);
        try {
            for (byte[] chunk : chunks) {
                addFrames(outcome, reader.read(isUtf8(chunk) ? new TextMessage(chunk) : new BinaryMessage(chunk)));
                RuntimeException after = reader.failureAfterFrames();
                if (after != null) {
                    throw after;
                }
            }
        } catch (RuntimeException | Error e) {
            outcome.failure = e;
        }
        return outcome;
    }

    private static void addFrames(Outcome outcome, List<Frame> decoded) {
        for (Frame frame : decoded) {
            if (frame != FrameParser.HEARTBEAT) {
                outcome.frames.add(frame);
            }
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private static String stack(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        return failure + (trace.length > 0 ? " at " + trace[0] : "");
    }
}
