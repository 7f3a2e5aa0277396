package dev.jstomp.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.spring.internal.ClientLifecycle;
import dev.jstomp.spring.internal.JstompHealthIndicator;
import dev.jstomp.spring.internal.ListenerFailureRecorder;
import dev.jstomp.spring.internal.ListenerRegistry;
import dev.jstomp.spring.internal.LoggingErrorHandler;
import dev.jstomp.spring.internal.StompListenerBeanPostProcessor;

import tools.jackson.databind.ObjectMapper;

/**
 * Auto-configures jstomp from the {@code jstomp.*} properties: the {@link StompClient} (connected when the
 * context starts, disconnected with a receipt when it stops), the {@link StompTemplate}, the
 * {@link StompListener} methods and, with Actuator's health on the class path, the {@code jstomp} health
 * component. Every bean backs off when the application defines its own; {@code jstomp.enabled=false}
 * turns it all off.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration"})
@ConditionalOnClass(StompClient.class)
@ConditionalOnBooleanProperty(name = "jstomp.enabled", matchIfMissing = true)
@EnableConfigurationProperties(JstompProperties.class)
public class JstompAutoConfiguration {

    /** Frames go here at DEBUG with {@code jstomp.debug=true}. */
    static final Logger FRAMES = LoggerFactory.getLogger("dev.jstomp.frames");

    /**
     * The client, configured from the properties, then by the {@link StompConnectHeaders} and
     * {@link StompClientCustomizer} beans, in order. Closed (threads released) when the context closes.
     *
     * @param properties the {@code jstomp.*} properties
     * @param sslBundles Spring Boot's SSL bundles, for {@code jstomp.ssl.bundle}
     * @param connectHeaders suppliers of fresh CONNECT headers
     * @param customizers the customizers
     * @return the client, not yet connected
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public StompClient stompClient(JstompProperties properties, ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<StompConnectHeaders> connectHeaders, ObjectProvider<StompClientCustomizer> customizers) {
        List<String> urls = properties.determineUrls();
        StompClient client = urls.size() == 1 ? Stomp.client(urls.get(0)) : Stomp.client(urls);
        client.heartbeat().outgoing(properties.getHeartbeat().getOutgoing().toMillis())
                .incoming(properties.getHeartbeat().getIncoming().toMillis());
        client.reconnectDelay(properties.getReconnectDelay().toMillis())
                .reconnectMaxDelay(properties.getReconnectMaxDelay().toMillis())
                .reconnectMaxAttempts(properties.getReconnectMaxAttempts())
                .connectTimeout(properties.getConnectTimeout())
                .receiptTimeout(properties.getReceiptTimeout())
                .maxFrameSize(Math.toIntExact(properties.getMaxFrameSize().toBytes()))
                .outboundBufferLimit(properties.getOutboundBufferLimit().toBytes())
                .sendTimeout(properties.getSendTimeout())
                .webSocketMessageSize(Math.toIntExact(properties.getWebSocketMessageSize().toBytes()))
                .heldSendLimit(properties.getHeldSends().getMessages(), properties.getHeldSends().getSize().toBytes());
        if (properties.isDebug()) {
            client.debug(line -> FRAMES.debug("{}", line));
        }
        String bundle = properties.getSsl().getBundle();
        if (bundle != null && !bundle.isBlank()) {
            SslBundles bundles = sslBundles.getIfAvailable();
            if (bundles == null) {
                throw new IllegalStateException("jstomp.ssl.bundle=" + bundle + " is set but there are no SSL bundles;"
                        + " define it under spring.ssl.bundle.*");
            }
            client.sslContext(bundles.getBundle(bundle).createSslContext());
        }
        List<StompConnectHeaders> suppliers = connectHeaders.orderedStream().toList();
        if (!suppliers.isEmpty()) {
            client.beforeConnect(() -> {
                Map<String, String> fresh = new LinkedHashMap<>();
                for (StompConnectHeaders supplier : suppliers) {
                    fresh.putAll(supplier.connectHeaders());
                }
                return fresh;
            });
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(client));
        return client;
    }

    /**
     * The template, writing objects with the application's Jackson mapper.
     *
     * @param client the client
     * @param mapper the application's mapper, if any
     * @return the template
     */
    @Bean
    @ConditionalOnMissingBean
    public StompTemplate stompTemplate(StompClient client, ObjectProvider<ObjectMapper> mapper) {
        return new StompTemplate(client, mapper.getIfAvailable());
    }

    /**
     * The default error handler: log, and NACK under client acks.
     *
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    public StompListenerErrorHandler stompListenerErrorHandler() {
        return new LoggingErrorHandler();
    }

    /**
     * The listeners, by id.
     *
     * @param client the client
     * @param errorHandler the error handler
     * @param failureRecorders told of listener failures (the observability auto-configuration's)
     * @return the registry
     */
    @Bean
    public ListenerRegistry stompListeners(StompClient client, StompListenerErrorHandler errorHandler,
            ObjectProvider<ListenerFailureRecorder> failureRecorders) {
        return new ListenerRegistry(client, errorHandler, failureRecorders.orderedStream().toList());
    }

    /**
     * Finds the {@link StompListener} methods.
     *
     * @return the post-processor
     */
    @Bean
    public static StompListenerBeanPostProcessor stompListenerBeanPostProcessor() {
        return new StompListenerBeanPostProcessor();
    }

    /**
     * Connects at start, stops listeners then disconnects at shut-down.
     *
     * @param client the client
     * @param properties the properties
     * @param listeners the listeners
     * @return the life cycle
     */
    @Bean
    public ClientLifecycle jstompLifecycle(StompClient client, JstompProperties properties, ListenerRegistry listeners) {
        return new ClientLifecycle(client, properties, listeners);
    }

    /** The {@code jstomp} health component, with Actuator's health on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("jstomp")
    static class JstompHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "jstompHealthIndicator")
        JstompHealthIndicator jstompHealthIndicator(StompClient client, JstompProperties properties,
                ClientLifecycle lifecycle) {
            return new JstompHealthIndicator(client, properties, lifecycle);
        }
    }
}
