package dev.jstomp.spring;

import dev.jstomp.StompClient;

/**
 * Customizes the auto-configured {@link StompClient} before it connects, as Spring Boot's other
 * {@code *Customizer} beans do for their clients. Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order @Order}, after the {@code jstomp.*} properties: a
 * customizer may change any setting, add hooks ({@code onStateChange}, {@code onUnsent}, ...) or wrap the
 * client's executor.
 *
 * <pre>{@code
 * @Bean
 * StompClientCustomizer slowBroker() {
 *     return client -> client.receiptTimeout(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface StompClientCustomizer {

    /**
     * Customizes the client; called once, before its first {@code connect}.
     *
     * @param client the client, not yet connected
     */
    void customize(StompClient client);
}
