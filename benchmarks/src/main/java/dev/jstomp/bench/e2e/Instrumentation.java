package dev.jstomp.bench.e2e;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jstomp.StompClient;
import dev.jstomp.micrometer.StompMetrics;
import dev.jstomp.micrometer.StompObservation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * What the jstomp-metrics and jstomp-observed clients add to plain jstomp: {@code StompMetrics} on a
 * {@link SimpleMeterRegistry}, and for jstomp-observed also {@code StompObservation} with a real OpenTelemetry
 * tracer (W3C propagation, a batch span processor, an exporter that drops the spans). Spans are sampled with
 * the probability in {@code -Djstomp.bench.sampling} (default 1.0: every message traced, the worst case;
 * Spring Boot's default is 0.1).
 */
public enum Instrumentation {
    /** Plain jstomp. */
    NONE,
    /** StompMetrics only. */
    METRICS,
    /** StompMetrics and StompObservation, sampling as {@code -Djstomp.bench.sampling} says (default 1.0). */
    METRICS_AND_TRACING,
    /** StompMetrics and StompObservation, 10% of traces sampled (Spring Boot's default probability). */
    METRICS_AND_TRACING_SAMPLED_10;

    private static final MeterRegistry METERS = new SimpleMeterRegistry();
    /** One observation registry (and tracer) per sampling probability. */
    private static final Map<Double, ObservationRegistry> OBSERVATIONS = new HashMap<>();

    /** Instruments the client as this kind says; returns it. */
    public StompClient apply(StompClient client) {
        if (this != NONE) {
            StompMetrics.bind(client, METERS);
        }
        if (this == METRICS_AND_TRACING) {
            StompObservation.instrument(client,
                    observations(Double.parseDouble(System.getProperty("jstomp.bench.sampling", "1.0"))));
        } else if (this == METRICS_AND_TRACING_SAMPLED_10) {
            StompObservation.instrument(client, observations(0.1));
        }
        return client;
    }

    /** The observation registry (with its OpenTelemetry tracer) of a sampling probability; one per JVM. */
    public static synchronized ObservationRegistry observations(double sampling) {
        return OBSERVATIONS.computeIfAbsent(sampling, Instrumentation::tracing);
    }

    private static ObservationRegistry tracing(double sampling) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampling)))
                .addSpanProcessor(BatchSpanProcessor.builder(new DroppingExporter()).build()).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("jstomp-bench");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(otel, current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otel);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(
                new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                        new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                        new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    /** Exports nowhere: the cost measured is making and ending spans, not shipping them. */
    private static final class DroppingExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
