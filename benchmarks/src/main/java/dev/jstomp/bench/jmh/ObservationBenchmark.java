package dev.jstomp.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.jstomp.StompMessage;
import dev.jstomp.StompObserver;
import dev.jstomp.Subscription;
import dev.jstomp.bench.e2e.Instrumentation;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.internal.micrometer.ObservationObserver;
import io.micrometer.observation.ObservationRegistry;

/**
 * What jstomp-micrometer's observations cost per message on the calling thread, without a broker: the
 * producer side of one SEND ({@code sending} and its {@code done}) and the consumer side of one MESSAGE
 * ({@code deliver} around an empty callback), with the benchmarks' OpenTelemetry tracer at a sampling
 * probability ({@code traced-P}), a handler that does nothing ({@code empty-handler}: the Observation API and
 * jstomp's contexts and conventions alone) or no handler at all ({@code no-handler}: a no-op observation).
 * Run with {@code benchmarks/run.sh jmh -prof gc Observation} for bytes per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ObservationBenchmark {

    @Param({ "no-handler", "empty-handler", "traced-0.0", "traced-0.1", "traced-1.0" })
    public String registry;

    private StompObserver observer;
    private Frame send;
    private StompMessage message;
    private final Subscription subscription = new BenchSubscription();

    @Setup
    public void setUp() {
        ObservationRegistry observations;
        if (registry.startsWith("traced-")) {
            observations = Instrumentation.observations(Double.parseDouble(registry.substring("traced-".length())));
        } else {
            observations = ObservationRegistry.create();
            if (registry.equals("empty-handler")) {
                // The Observation API and jstomp's contexts and conventions, without a tracer.
                observations.observationConfig().observationHandler(context -> true);
            }
        }
        observer = new ObservationObserver(observations, null, null);
        send = new Frame("SEND", Map.of("destination", Fixtures.DESTINATION), Fixtures.body(128));
        Map<String, String> added = new LinkedHashMap<>();
        StompObserver.Sending sending = observer.sending(send, added);
        if (sending != null) {
            sending.done(null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("subscription", Fixtures.SUBSCRIPTION);
        headers.put("destination", Fixtures.DESTINATION);
        headers.put("message-id", "7,1000");
        headers.putAll(added); // the sender's traceparent, as the broker hands it on
        message = new BenchMessage(headers, Fixtures.body(128));
    }

    /** The producer side of one SEND. */
    @Benchmark
    public Map<String, String> send() {
        Map<String, String> added = new LinkedHashMap<>();
        StompObserver.Sending sending = observer.sending(send, added);
        if (sending != null) {
            sending.done(null);
        }
        return added;
    }

    /** The consumer side of one MESSAGE: its callback inside the observation. */
    @Benchmark
    public void deliver(Blackhole hole) {
        observer.deliver(subscription, message, hole::consume);
    }

    private static final class BenchSubscription implements Subscription {
        @Override
        public String id() {
            return Fixtures.SUBSCRIPTION;
        }

        @Override
        public String destination() {
            return Fixtures.DESTINATION;
        }

        @Override
        public void unsubscribe() {
        }

        @Override
        public void unsubscribe(Map<String, String> headers) {
        }
    }

    private static final class BenchMessage implements StompMessage {
        private final Map<String, String> headers;
        private final byte[] body;

        BenchMessage(Map<String, String> headers, byte[] body) {
            this.headers = headers;
            this.body = body;
        }

        @Override
        public String command() {
            return "MESSAGE";
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }

        @Override
        public @Nullable String header(String name) {
            return headers.get(name);
        }

        @Override
        public String body() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public byte[] binaryBody() {
            return body;
        }

        @Override
        public void ack(Map<String, String> headers) {
        }

        @Override
        public void nack(Map<String, String> headers) {
        }
    }
}
