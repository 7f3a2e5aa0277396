package dev.jstomp.spring.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompError;
import dev.jstomp.spring.JstompProperties;

/**
 * The {@code jstomp} health component: UP while CONNECTED (with the broker in use), DOWN otherwise with
 * the state, the configured brokers, the reconnect attempt and the last error. Never a credential.
 */
public final class JstompHealthIndicator extends AbstractHealthIndicator {

    private final StompClient client;
    private final JstompProperties properties;
    private final ClientLifecycle lifecycle;

    public JstompHealthIndicator(StompClient client, JstompProperties properties, ClientLifecycle lifecycle) {
        super("jstomp health check failed");
        this.client = client;
        this.properties = properties;
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ConnectionState state = client.state();
        String connectedTo = client.connectedTo();
        if (state == ConnectionState.CONNECTED) {
            builder.up().withDetail("state", state.name()).withDetail("broker", connectedTo == null ? "?" : connectedTo);
            return;
        }
        builder.down().withDetail("state", state.name()).withDetail("broker", brokers());
        if (state == ConnectionState.RECONNECTING) {
            builder.withDetail("reconnectAttempt", client.reconnectAttempt());
        }
        StompError error = lifecycle.lastError();
        if (error != null) {
            builder.withDetail("lastError", error.message());
        }
    }

    /** The configured URLs without any user-info part a URL might carry. */
    private String brokers() {
        List<String> safe = new ArrayList<>();
        for (String url : properties.determineUrls()) {
            try {
                URI uri = URI.create(url);
                safe.add(uri.getUserInfo() == null ? url
                        : new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString());
            } catch (IllegalArgumentException | URISyntaxException e) {
                safe.add("(unparsable URL)");
            }
        }
        return String.join(", ", safe);
    }
}
