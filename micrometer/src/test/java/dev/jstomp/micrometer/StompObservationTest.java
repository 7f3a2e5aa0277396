package dev.jstomp.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.json.StompJson;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * A trace follows a message through a real broker: the producer's SEND carries {@code traceparent}, and the
 * consumer's span, around the callback, is the producer span's child; on Artemis and RabbitMQ, over TCP and
 * WebSocket. The tracer is Micrometer Tracing over the OpenTelemetry SDK with W3C propagation, spans kept in memory.
 */
class StompObservationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    private final Tracer tracer;
    private final ObservationRegistry registry = ObservationRegistry.create();

    StompObservationTest() {
        io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("jstomp-test");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        tracer = new OtelTracer(otel, current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otel);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    @ParameterizedTest
    @EnumSource(TestBrokers.class)
    void theConsumerSpanIsTheChildOfTheProducerSpanAcrossTheBroker(TestBrokers broker) throws Exception {
        String topic = TestBrokers.uniqueTopic("trace");
        CompletableFuture<StompMessage> received = new CompletableFuture<>();
        CompletableFuture<String> spanInCallback = new CompletableFuture<>();
        try (StompClient producer = broker.client(); StompClient consumer = broker.client()) {
            StompObservation.instrument(producer, registry);
            StompObservation.instrument(consumer, registry);
            broker.connect(producer);
            broker.connect(consumer);
            TestBrokers.subscribed(consumer, topic, message -> {
                var span = tracer.currentSpan();
                spanInCallback.complete(span == null ? "none" : span.context().spanId());
                received.complete(message);
            });
            producer.send(topic, Map.of("priority", "4"), "traced");

            StompMessage message = received.get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().size() == 2);
            SpanData send = only(SpanKind.PRODUCER);
            SpanData process = only(SpanKind.CONSUMER);
            assertThat(send.getName()).isEqualTo("send " + topic);
            assertThat(process.getName()).startsWith("process ");
            assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(send.getParentSpanContext().isValid()).isFalse();
            assertThat(message.header("traceparent")).isEqualTo("00-" + send.getTraceId() + "-" + send.getSpanId() + "-01");
            assertThat(message.header("priority")).isEqualTo("4");
            assertThat(spanInCallback.get(1, TimeUnit.SECONDS)).isEqualTo(process.getSpanId());
        }
    }

    @Test
    void aSendInsideAnObservationJoinsItsTrace() throws Exception {
        String topic = TestBrokers.uniqueTopic("parent");
        CompletableFuture<StompMessage> received = new CompletableFuture<>();
        try (StompClient producer = TestBrokers.ARTEMIS_TCP.client(); StompClient consumer = TestBrokers.ARTEMIS_TCP.client()) {
            StompObservation.instrument(producer, registry);
            StompObservation.instrument(consumer, registry);
            TestBrokers.ARTEMIS_TCP.connect(producer);
            TestBrokers.ARTEMIS_TCP.connect(consumer);
            TestBrokers.subscribed(consumer, topic, received::complete);
            Observation.createNotStarted("checkout", registry).observe(() -> producer.send(topic, Map.of(), "in a trace"));

            received.get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().size() == 3);
            SpanData checkout = spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals("checkout"))
                    .findFirst().orElseThrow();
            SpanData send = only(SpanKind.PRODUCER);
            SpanData process = only(SpanKind.CONSUMER);
            assertThat(send.getParentSpanId()).isEqualTo(checkout.getSpanId());
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(process.getTraceId()).isEqualTo(checkout.getTraceId());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestBrokers.class, names = {"ARTEMIS_TCP", "RABBITMQ_TCP"})
    void aMessageWithoutTraceparentStartsANewTrace(TestBrokers broker) throws Exception {
        String topic = TestBrokers.uniqueTopic("untraced");
        CompletableFuture<StompMessage> received = new CompletableFuture<>();
        try (StompClient plain = broker.client(); StompClient consumer = broker.client()) {
            StompObservation.instrument(consumer, registry);
            broker.connect(plain);
            broker.connect(consumer);
            TestBrokers.subscribed(consumer, topic, received::complete);
            plain.send(topic, Map.of(), "no trace here");

            assertThat(received.get(10, TimeUnit.SECONDS).header("traceparent")).isNull();
            await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().size() == 1);
            SpanData process = only(SpanKind.CONSUMER);
            assertThat(process.getParentSpanContext().isValid()).isFalse();
            assertThat(process.getSpanContext().isValid()).isTrue();
        }
    }

    /** client-json's typed subscriber runs inside the consumer span too, and its send carries the trace. */
    @Test
    void composesWithClientJson() throws Exception {
        String topic = TestBrokers.uniqueTopic("json");
        StompJson json = StompJson.create();
        CompletableFuture<Order> received = new CompletableFuture<>();
        CompletableFuture<String> spanInCallback = new CompletableFuture<>();
        try (StompClient producer = TestBrokers.ARTEMIS_WS.client(); StompClient consumer = TestBrokers.ARTEMIS_WS.client()) {
            StompObservation.instrument(producer, registry);
            StompObservation.instrument(consumer, registry);
            TestBrokers.ARTEMIS_WS.connect(producer);
            TestBrokers.ARTEMIS_WS.connect(consumer);
            String receipt = "json-sub";
            CompletableFuture<?> subscribed = consumer.watchForReceipt(receipt);
            json.subscribe(consumer, topic, Order.class, (order, message) -> {
                var span = tracer.currentSpan();
                spanInCallback.complete(span == null ? "none" : span.context().spanId());
                received.complete(order);
            }, Map.of("receipt", receipt));
            subscribed.get(10, TimeUnit.SECONDS);
            json.send(producer, topic, new Order("o-1", 3));

            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(new Order("o-1", 3));
            await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().size() == 2);
            SpanData send = only(SpanKind.PRODUCER);
            SpanData process = only(SpanKind.CONSUMER);
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(spanInCallback.get(1, TimeUnit.SECONDS)).isEqualTo(process.getSpanId());
        }
    }

    @Test
    void aNoopRegistryLeavesTheClientUnobserved() throws Exception {
        String topic = TestBrokers.uniqueTopic("noop");
        CompletableFuture<StompMessage> received = new CompletableFuture<>();
        try (StompClient producer = TestBrokers.ARTEMIS_TCP.client()) {
            StompObservation.instrument(producer, ObservationRegistry.NOOP);
            TestBrokers.ARTEMIS_TCP.connect(producer);
            TestBrokers.subscribed(producer, topic, received::complete);
            producer.send(topic, Map.of(), "untraced");
            assertThat(received.get(10, TimeUnit.SECONDS).header("traceparent")).isNull();
        }
    }

    private SpanData only(SpanKind kind) {
        List<SpanData> ofKind = spans.getFinishedSpanItems().stream().filter(span -> span.getKind() == kind).toList();
        assertThat(ofKind).as("%s spans", kind).hasSize(1);
        return ofKind.get(0);
    }

    /** A JSON payload. */
    public record Order(String id, int quantity) {
    }
}
