package dev.jstomp.spring;

import java.util.Map;

/**
 * Supplies CONNECT headers fresh before every connection attempt, the first and each reconnect's (the
 * client's {@link dev.jstomp.StompClient#beforeConnect beforeConnect}). The headers win over the
 * {@code jstomp.*} properties, so an OAuth2 access token can be the {@code passcode} of every attempt:
 *
 * <pre>{@code
 * @Bean
 * StompConnectHeaders oauth2(TokenService tokens) {
 *     return () -> Map.of("passcode", tokens.currentAccessToken());
 * }
 * }</pre>
 *
 * It runs on a jstomp thread of its own and may block (fetching a token). When it throws, that attempt
 * fails like a refused connection and reconnecting goes on. With several beans, all are asked, in
 * {@link org.springframework.core.annotation.Order @Order}, and later ones win for the same header.
 */
@FunctionalInterface
public interface StompConnectHeaders {

    /**
     * The headers for the CONNECT about to be sent.
     *
     * @return the headers; never {@code null}, {@code Map.of()} for none
     */
    Map<String, String> connectHeaders();
}
