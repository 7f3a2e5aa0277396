package dev.jstomp.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.jstomp.StompClient;
import dev.jstomp.micrometer.StompMetrics;
import dev.jstomp.micrometer.StompObservation;
import dev.jstomp.micrometer.StompReceiverContext;
import dev.jstomp.micrometer.StompReceiverObservationConvention;
import dev.jstomp.micrometer.StompSenderObservationConvention;
import dev.jstomp.spring.internal.ListenerFailureRecorder;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Instruments the auto-configured {@link StompClient} with {@code jstomp-micrometer} when the application has
 * Micrometer's registries (Actuator brings them): the {@code jstomp.*} meters on its {@link MeterRegistry}
 * ({@link StompMetrics}), and an observation per SEND and per delivery on its {@link ObservationRegistry}
 * ({@link StompObservation}), which a tracer turns into producer and consumer spans joined by the
 * {@code traceparent} header. Both are {@link StompClientCustomizer} beans, the observation's first so that
 * the consumer span encloses the callback timer; {@code jstomp.metrics.enabled=false} and
 * {@code jstomp.observation.enabled=false} turn them off. A {@code @StompListener} method that throws marks
 * its consumer observation failed. A {@link StompClient} bean of the application's own is not instrumented:
 * call {@code StompMetrics.bind} and {@code StompObservation.instrument} on it before it connects.
 */
@AutoConfiguration(before = JstompAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({StompClient.class, StompMetrics.class, MeterRegistry.class})
@ConditionalOnBooleanProperty(name = "jstomp.enabled", matchIfMissing = true)
@EnableConfigurationProperties(JstompProperties.class)
public class JstompObservabilityAutoConfiguration {

    /** The {@code jstomp.*} meters, with a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "jstomp.metrics.enabled", matchIfMissing = true)
    static class MetricsConfiguration {

        @Bean
        @Order(1)
        StompClientCustomizer jstompMetrics(MeterRegistry registry, JstompProperties properties) {
            boolean destinationTag = properties.getMetrics().isDestinationTag();
            return client -> StompMetrics.bind(client, registry, StompMetrics.options().destinationTag(destinationTag));
        }
    }

    /** Observations of sends and deliveries, with an {@link ObservationRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = "jstomp.observation.enabled", matchIfMissing = true)
    static class ObservationConfiguration {

        // First of the customizers: the first observer wraps the others, so the consumer observation (and its
        // span) is in scope while the metrics observer times the callback.
        @Bean
        @Order(0)
        StompClientCustomizer jstompObservation(ObservationRegistry registry,
                ObjectProvider<StompSenderObservationConvention> senderConvention,
                ObjectProvider<StompReceiverObservationConvention> receiverConvention) {
            return client -> StompObservation.instrument(client, registry, senderConvention.getIfUnique(),
                    receiverConvention.getIfUnique());
        }

        // The listener's exception is caught (to NACK it), so the observation would end as a success without this.
        @Bean
        ListenerFailureRecorder jstompListenerObservationFailure(ObservationRegistry registry) {
            return failure -> {
                Observation current = registry.getCurrentObservation();
                if (current != null && current.getContext() instanceof StompReceiverContext) {
                    current.error(failure);
                }
            };
        }
    }
}
