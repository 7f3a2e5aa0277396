package dev.jstomp.spring;

import java.util.Collection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.jstomp.StompMessage;
import dev.jstomp.micrometer.DefaultStompSenderObservationConvention;
import dev.jstomp.micrometer.StompSenderContext;
import dev.jstomp.micrometer.StompSenderObservationConvention;

import io.micrometer.common.KeyValues;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A Boot application with Actuator and Boot's OpenTelemetry tracing on the class path, as a user has it, plus
 * a sender convention of its own; its spans are kept in memory.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ObservedApp.Listeners.class)
class ObservedApp {

    /**
     * Finished spans. Not a SpanExporter bean: Boot would hand that to its batching processor too (and export
     * each span twice, seconds late); a processor bean exporting at once is picked up by Boot's tracer provider.
     */
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @Bean
    SpanProcessor inMemorySpans() {
        return keepingSpans();
    }

    /**
     * Exports to {@link #SPANS} at once, and leaves them there when a context closes (its tracer provider shuts
     * its exporters down, and a shut-down InMemorySpanExporter drops what comes later).
     */
    static SpanProcessor keepingSpans() {
        return SimpleSpanProcessor.create(new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return SPANS.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        });
    }

    /** The application's own convention: the default, plus a tag that shows it was used. */
    @Bean
    StompSenderObservationConvention ordersSenderConvention() {
        return new DefaultStompSenderObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(StompSenderContext context) {
                return super.getLowCardinalityKeyValues(context).and("app", "observed-app");
            }
        };
    }

    /** What a listener saw: the body, its traceparent header, and the span current while it ran. */
    record Seen(String body, String traceparent, String spanId) {
    }

    static class Listeners {
        final BlockingQueue<Seen> counted = new LinkedBlockingQueue<>();
        final BlockingQueue<Seen> traced = new LinkedBlockingQueue<>();
        final BlockingQueue<Seen> nested = new LinkedBlockingQueue<>();
        private final Tracer tracer;

        Listeners(Tracer tracer) {
            this.tracer = tracer;
        }

        @StompListener(destination = "${test.counted}")
        void onCounted(String body, StompMessage message) {
            counted.add(seen(body, message));
        }

        @StompListener(destination = "${test.traced}")
        void onTraced(String body, StompMessage message) {
            traced.add(seen(body, message));
        }

        @StompListener(destination = "${test.nested}")
        void onNested(String body, StompMessage message) {
            nested.add(seen(body, message));
        }

        @StompListener(destination = "${test.failing}")
        void onFailing(String body) {
            throw new IllegalStateException("cannot take " + body);
        }

        private Seen seen(String body, StompMessage message) {
            Span span = tracer.currentSpan();
            return new Seen(body, message.header("traceparent"), span == null ? null : span.context().spanId());
        }
    }
}
