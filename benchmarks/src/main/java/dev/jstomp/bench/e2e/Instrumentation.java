package dev.jstomp.bench.e2e;

import java.util.Collection;
import java.util.List;

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
    /** StompMetrics and StompObservation. */
    METRICS_AND_TRACING;

    private static final MeterRegistry METERS = new SimpleMeterRegistry();
    private static ObservationRegistry observations;

    /** Instruments the client as this kind says; returns it. */
    public StompClient apply(StompClient client) {
        if (this != NONE) {
            StompMetrics.bind(client, METERS);
        }
        if (this == METRICS_AND_TRACING) {
            StompObservation.instrument(client, observations());
        }
        return client;
    }

    private static synchronized ObservationRegistry observations() {
        if (observations == null) {
            double sampling = Double.parseDouble(System.getProperty("jstomp.bench.sampling", "1.0"));
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
            observations = registry;
        }
        return observations;
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
