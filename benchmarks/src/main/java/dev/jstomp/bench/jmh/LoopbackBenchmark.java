package dev.jstomp.bench.jmh;


import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.bench.e2e.Instrumentation;

/**
 * A real jstomp TCP client (Reactor Netty under Spring's client) against {@link FakeStompServer} on
 * loopback, so the broker is out of the picture: sending 10,000 messages until the server has read them
 * all, and the server blasting 10,000 pre-encoded MESSAGE frames until the callback has seen them all.
 * Scores are messages per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LoopbackBenchmark {

    static final int BATCH = 10_000;
    static final int CHUNK = 1_000;

    @State(Scope.Benchmark)
    public static class Connection {
        @Param({"128"})
        int bodySize;

        /** NONE (plain), METRICS or METRICS_AND_TRACING: {@code -p instrumentation=NONE,METRICS,METRICS_AND_TRACING}. */
        @Param({"NONE"})
        Instrumentation instrumentation;

        FakeStompServer server;
        StompClient client;
        byte[] body;
        byte[] chunk;
        final AtomicLong received = new AtomicLong();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            server = new FakeStompServer();
            client = instrumentation.apply(Stomp.overTCP("127.0.0.1", server.port()));
            client.receiptTimeout(Duration.ofMillis(200));
            client.connectAsync(Map.of()).get(10, TimeUnit.SECONDS);
            client.subscribe(Fixtures.DESTINATION, m -> received.incrementAndGet(), Map.of("id", Fixtures.SUBSCRIPTION));
            server.awaitSubscriber();
            body = Fixtures.body(bodySize);
            chunk = Fixtures.messages(bodySize, CHUNK);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            client.close();
            server.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void sendOverTcp(Connection c) {
        long target = c.server.sends.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            c.client.send(Fixtures.DESTINATION, Map.of(), c.body);
        }
        while (c.server.sends.get() < target) {
            Thread.yield();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void receiveOverTcp(Connection c) throws Exception {
        long target = c.received.get() + BATCH;
        c.server.blast(c.chunk, BATCH / CHUNK);
        while (c.received.get() < target) {
            Thread.yield();
        }
    }
}
