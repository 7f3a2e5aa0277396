package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jstomp.StompClient;
import dev.jstomp.broker.EmbeddedArtemis;

import io.micrometer.core.instrument.Statistic;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * The starter with Actuator and Boot's OpenTelemetry tracing against the embedded Artemis (TCP): the
 * {@code jstomp.*} meters on the metrics endpoint with exact counts, one trace across the broker from one
 * application's StompTemplate to another's {@code @StompListener}, and a failing listener's span marked as an
 * error.
 */
@SpringBootTest(classes = ObservedApp.class, properties = {"management.tracing.sampling.probability=1.0",
        "management.endpoints.web.exposure.include=metrics", "jstomp.metrics.destination-tag=true"})
class ObservabilityStarterIT {

    static final EmbeddedArtemis BROKER = new EmbeddedArtemis().start();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("jstomp.url", () -> "tcp://" + BROKER.tcpHost() + ":" + BROKER.port());
        registry.add("jstomp.login", BROKER::user);
        registry.add("jstomp.passcode", BROKER::password);
        for (String name : List.of("counted", "traced", "nested", "failing")) {
            String destination = "/queue/" + Brokers.unique(name);
            registry.add("test." + name, () -> destination);
        }
    }

    @AfterAll
    static void stopBroker() {
        BROKER.close();
    }

    @Autowired StompTemplate stomp;
    @Autowired MetricsEndpoint metrics;
    @Autowired ObservedApp.Listeners listeners;
    @Autowired ObservationRegistry observations;
    @Autowired Environment environment;
    @Autowired StompClient client;

    /** An application that only sends, with the same in-memory spans. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SenderApp {
        @Bean
        SpanProcessor inMemorySpans() {
            return ObservedApp.keepingSpans();
        }
    }

    @Test
    void theMetricsEndpointCountsTheMessagesSentAndReceived() throws Exception {
        String destination = environment.getRequiredProperty("test.counted");
        for (int i = 0; i < 5; i++) {
            stomp.send(destination, "m" + i);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(listeners.counted.poll(5, TimeUnit.SECONDS)).isNotNull();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(count("jstomp.messages.received", destination)).isEqualTo(5));
        assertThat(count("jstomp.messages.sent", destination)).isEqualTo(5);
        assertThat(count("jstomp.callbacks", destination)).isEqualTo(5);
        assertThat(listeners.counted).isEmpty();
        assertThat(metrics.listNames().getNames()).contains("jstomp.messages.sent", "jstomp.messages.received",
                "jstomp.connection.state", "jstomp.connects", "jstomp.frames.sent", "jstomp.callbacks",
                "jstomp.send", "jstomp.receive");
        assertThat(metrics.metric("jstomp.connection.state", List.of("state:connected")).getMeasurements())
                .singleElement().satisfies(sample -> assertThat(sample.getValue()).isEqualTo(1.0));
    }

    @Test
    void aMessageFromAnotherApplicationsTemplateToAListenerIsOneTraceWithAProducerAndAConsumerSpan() throws Exception {
        String destination = environment.getRequiredProperty("test.traced");
        ObservedApp.Seen seen;
        // The sender: a second application, its own client and tracer; only the traceparent header joins them.
        try (ConfigurableApplicationContext sender = new SpringApplicationBuilder(SenderApp.class)
                .web(WebApplicationType.NONE).properties("management.tracing.sampling.probability=1.0",
                        "jstomp.url=" + environment.getRequiredProperty("jstomp.url"), "jstomp.login=" + BROKER.user(),
                        "jstomp.passcode=" + BROKER.password())
                .run()) {
            assertThat(sender.getBean(StompClient.class)).isNotSameAs(client);
            sender.getBean(StompTemplate.class).send(destination, "traced");
            seen = listeners.traced.poll(5, TimeUnit.SECONDS);
        }
        assertThat(seen).isNotNull();

        SpanData consumer = await().atMost(WAIT).until(() -> span("process " + destination), span -> span != null);
        SpanData producer = span("send " + destination);
        assertThat(producer).isNotNull();
        assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(producer.getParentSpanContext().isValid()).isFalse();
        assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(ObservedApp.SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(producer.getTraceId()))).hasSize(2);
        assertThat(seen.traceparent()).isEqualTo("00-" + producer.getTraceId() + "-" + producer.getSpanId() + "-01");
        assertThat(seen.spanId()).isEqualTo(consumer.getSpanId());
        assertThat(consumer.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        // The sender has no convention bean of its own: the default's tags only.
        assertThat(producer.getAttributes().get(AttributeKey.stringKey("app"))).isNull();
        assertThat(producer.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("stomp");
    }

    @Test
    void aSendInsideTheApplicationsObservationIsItsChild() throws Exception {
        String destination = environment.getRequiredProperty("test.nested");
        Observation.createNotStarted("checkout", observations).observe(() -> stomp.send(destination, "in checkout"));
        assertThat(listeners.nested.poll(5, TimeUnit.SECONDS)).isNotNull();

        SpanData checkout = await().atMost(WAIT).until(() -> span("checkout"), span -> span != null);
        SpanData consumer = await().atMost(WAIT).until(() -> childOf(checkout.getTraceId(), SpanKind.CONSUMER),
                span -> span != null);
        SpanData producer = childOf(checkout.getTraceId(), SpanKind.PRODUCER);
        assertThat(producer.getParentSpanId()).isEqualTo(checkout.getSpanId());
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        // This application's StompSenderObservationConvention bean tagged its send.
        assertThat(producer.getAttributes().get(AttributeKey.stringKey("app"))).isEqualTo("observed-app");
    }

    @Test
    void aListenerThatThrowsEndsItsConsumerSpanAsAnError() {
        String destination = environment.getRequiredProperty("test.failing");
        stomp.send(destination, "bad");

        SpanData consumer = await().atMost(WAIT).until(() -> span("process " + destination), span -> span != null);
        assertThat(consumer.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(consumer.getEvents()).anySatisfy(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("cannot take bad");
        });
        // Boot's observation timer for deliveries carries the error too.
        assertThat(metrics.metric("jstomp.receive", List.of("error:IllegalStateException"))).isNotNull();
    }

    private double count(String meter, String destination) {
        MetricsEndpoint.MetricDescriptor descriptor = metrics.metric(meter, List.of("destination:" + destination));
        assertThat(descriptor).as(meter + " for " + destination).isNotNull();
        return descriptor.getMeasurements().stream().filter(sample -> sample.getStatistic() == Statistic.COUNT)
                .findFirst().orElseThrow().getValue();
    }

    private static SpanData span(String name) {
        List<SpanData> named = ObservedApp.SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name)).toList();
        assertThat(named).as("spans named " + name).hasSizeLessThanOrEqualTo(1);
        return named.isEmpty() ? null : named.get(0);
    }

    private static SpanData childOf(String traceId, SpanKind kind) {
        return ObservedApp.SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == kind).findFirst().orElse(null);
    }

}
