package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.micrometer.DefaultStompSenderObservationConvention;
import dev.jstomp.micrometer.StompSenderObservationConvention;
import dev.jstomp.spring.internal.ListenerFailureRecorder;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The conditions of {@link JstompObservabilityAutoConfiguration}, without a broker: which customizers exist, in
 * which order, and that the client built from them has its meters. The real-broker behaviour is in
 * {@link ObservabilityStarterIT}.
 */
class JstompObservabilityAutoConfigurationTest {

    private static final int DEAD_PORT = deadPort();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JstompAutoConfiguration.class,
                    JstompObservabilityAutoConfiguration.class))
            .withPropertyValues("jstomp.url=tcp://127.0.0.1:" + DEAD_PORT, "jstomp.fail-fast=false",
                    "jstomp.reconnect-delay=10s");

    @Configuration(proxyBeanMethods = false)
    static class MeterRegistryOnly {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ObservationRegistryOnly {
        @Bean
        ObservationRegistry observationRegistry() {
            return ObservationRegistry.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SenderConvention {
        static final StompSenderObservationConvention CONVENTION = new DefaultStompSenderObservationConvention() {
        };

        @Bean
        StompSenderObservationConvention senderConvention() {
            return CONVENTION;
        }
    }

    @Test
    void withoutRegistriesThereIsNoCustomizer() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StompClientCustomizer.class)
                .doesNotHaveBean(ListenerFailureRecorder.class));
    }

    @Test
    void withAMeterRegistryOnlyTheMetricsAreBoundAndTheClientHasItsMeters() {
        runner.withUserConfiguration(MeterRegistryOnly.class).run(context -> {
            assertThat(context).hasNotFailed().hasBean("jstompMetrics").doesNotHaveBean("jstompObservation")
                    .doesNotHaveBean(ListenerFailureRecorder.class);
            context.getBean(StompClient.class);
            assertThat(context.getBean(MeterRegistry.class).find("jstomp.connection.state").gauges())
                    .hasSize(ConnectionState.values().length);
        });
    }

    @Test
    void withAnObservationRegistryOnlyTheObservationsAreMade() {
        runner.withUserConfiguration(ObservationRegistryOnly.class).run(context -> assertThat(context).hasNotFailed()
                .hasBean("jstompObservation").hasSingleBean(ListenerFailureRecorder.class)
                .doesNotHaveBean("jstompMetrics"));
    }

    @Test
    void withBootsRegistriesBothAreThereTheObservationFirst() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                ObservationAutoConfiguration.class)).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(customizersInOrder(context)).containsExactly(context.getBean("jstompObservation"),
                            context.getBean("jstompMetrics"));
                    context.getBean(StompClient.class);
                    assertThat(context.getBean(MeterRegistry.class).find("jstomp.connection.state").gauges())
                    .hasSize(ConnectionState.values().length);
                });
    }

    @Test
    void anApplicationsCustomizerRunsAfterBoth() {
        StompClientCustomizer own = client -> { };
        runner.withUserConfiguration(MeterRegistryOnly.class, ObservationRegistryOnly.class)
                .withBean("ownCustomizer", StompClientCustomizer.class, () -> own)
                .run(context -> assertThat(customizersInOrder(context)).containsExactly(
                        context.getBean("jstompObservation"), context.getBean("jstompMetrics"), own));
    }

    @Test
    void thePropertiesTurnEachOff() {
        runner.withUserConfiguration(MeterRegistryOnly.class, ObservationRegistryOnly.class)
                .withPropertyValues("jstomp.metrics.enabled=false")
                .run(context -> assertThat(context).hasBean("jstompObservation").doesNotHaveBean("jstompMetrics"));
        runner.withUserConfiguration(MeterRegistryOnly.class, ObservationRegistryOnly.class)
                .withPropertyValues("jstomp.observation.enabled=false")
                .run(context -> assertThat(context).hasBean("jstompMetrics").doesNotHaveBean("jstompObservation")
                        .doesNotHaveBean(ListenerFailureRecorder.class));
        runner.withUserConfiguration(MeterRegistryOnly.class, ObservationRegistryOnly.class)
                .withPropertyValues("jstomp.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StompClientCustomizer.class));
    }

    @Test
    void theDestinationTagPropertyIsBound() {
        runner.withUserConfiguration(MeterRegistryOnly.class).withPropertyValues("jstomp.metrics.destination-tag=true")
                .run(context -> assertThat(context.getBean(JstompProperties.class).getMetrics().isDestinationTag())
                        .isTrue());
        runner.run(context -> assertThat(context.getBean(JstompProperties.class).getMetrics().isDestinationTag())
                .isFalse());
    }

    @Test
    void twoConventionBeansOfOneKindAreNotGuessedBetween() {
        // getIfUnique: one convention bean is used (ObservabilityStarterIT sees its tag on the span); two make
        // the default stand, rather than a failure or an arbitrary pick.
        runner.withUserConfiguration(ObservationRegistryOnly.class, SenderConvention.class)
                .withBean("second", StompSenderObservationConvention.class,
                        () -> new DefaultStompSenderObservationConvention())
                .run(context -> assertThat(context).hasNotFailed().hasBean("jstompObservation"));
    }

    private static List<Object> customizersInOrder(AssertableApplicationContext context) {
        return context.getBeanProvider(StompClientCustomizer.class).orderedStream().map(Object.class::cast).toList();
    }

    private static int deadPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
