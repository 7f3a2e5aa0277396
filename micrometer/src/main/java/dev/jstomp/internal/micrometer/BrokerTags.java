package dev.jstomp.internal.micrometer;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.micrometer.core.instrument.Tags;

/**
 * The {@code transport} and {@code broker} tags, from a client's address as jstomp describes it
 * ({@code "host:port (TCP)"}, {@code "ws://host:port/path (WebSocket)"}). Only host and port go into
 * {@code broker}: a URL's path or query may name a user or carry a token.
 */
final class BrokerTags {

    private BrokerTags() {
    }

    static Tags of(String described) {
        int paren = described.lastIndexOf(" (");
        String address = paren < 0 ? described : described.substring(0, paren);
        String kind = paren < 0 ? "" : described.substring(paren + 2, described.length() - 1);
        String lower = address.toLowerCase(Locale.ROOT);
        String transport = switch (kind) {
            case "TCP" -> "tcp";
            case "TCP with TLS" -> "tcp-tls";
            case "WebSocket" -> lower.startsWith("wss:") ? "websocket-tls" : "websocket";
            default -> "unknown";
        };
        return Tags.of("transport", transport, "broker", hostAndPort(address));
    }

    private static String hostAndPort(String address) {
        if (!address.contains("://")) {
            return address; // host:port already
        }
        try {
            URI uri = new URI(address);
            if (uri.getHost() == null) {
                return "unknown";
            }
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (URISyntaxException e) {
            return "unknown";
        }
    }
}
