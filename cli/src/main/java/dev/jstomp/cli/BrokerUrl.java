package dev.jstomp.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks a broker URL before anything connects, so a typo gets one clear line instead of a transport
 * error: {@code ws://}, {@code wss://}, {@code tcp://host:port} (also {@code stomp://}) and
 * {@code stomp+ssl://host:port} (TLS over TCP, trusting what the JVM trusts).
 */
final class BrokerUrl {

    /** The transport a URL selects. */
    enum Kind {
        TCP("TCP"), TLS("TCP with TLS"), WEBSOCKET("WebSocket");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** "TCP" or "WebSocket". */
        String label() {
            return label;
        }
    }

    private BrokerUrl() {
    }

    /** True when the text looks like a URL rather than a destination (it has a scheme). */
    static boolean looksLikeUrl(String text) {
        return text.contains("://");
    }

    /** True for {@code host:port} written without a scheme, a common slip worth its own message. */
    static boolean looksLikeHostPort(String text) {
        return text.matches("[A-Za-z0-9.\\-\\[\\]]+:\\d{1,5}(/.*)?");
    }

    /**
     * Validates a URL and says which transport it uses.
     *
     * @param url the URL as given
     * @return the transport
     * @throws CliException (usage) naming what is wrong and what to write instead
     */
    static Kind check(String url) {
        if (!looksLikeUrl(url)) {
            String hint = looksLikeHostPort(url) ? "; write tcp://" + url + " (or ws://" + url + "/ for WebSocket)"
                    : "; write it like tcp://localhost:61613 or ws://localhost:15674/ws";
            throw CliException.usage("'" + url + "' is not a broker URL (no scheme)" + hint);
        }
        String scheme = url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT);
        Kind kind = switch (scheme) {
            case "ws", "wss" -> Kind.WEBSOCKET;
            case "tcp", "stomp" -> Kind.TCP;
            case "stomp+ssl", "stomp+tls", "ssl", "tls" -> Kind.TLS;
            case "http", "https" -> throw CliException.usage("unsupported URL scheme '" + scheme + "' in " + safe(url)
                    + ": STOMP over WebSocket uses " + (scheme.equals("https") ? "wss://" : "ws://") + " URLs");
            default -> throw CliException.usage("unsupported URL scheme '" + scheme + "' in " + safe(url)
                    + "; use ws://, wss://, tcp://host:port or stomp+ssl://host:port");
        };
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CliException.usage("malformed broker URL " + safe(url) + " (" + e.getReason() + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw CliException.usage("the broker URL " + safe(url) + " has no host; write it like "
                    + (kind == Kind.WEBSOCKET ? "ws://localhost:15674/ws" : "tcp://localhost:61613"));
        }
        return kind;
    }

    /** The URL without any {@code user:password@} part, fit for output. */
    static String safe(String url) {
        return url.replaceFirst("//[^/@]*@", "//");
    }
}
