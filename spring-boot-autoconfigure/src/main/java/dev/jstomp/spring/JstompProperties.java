package dev.jstomp.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code jstomp.*} properties: where the broker is, how to log in, and every setting of the
 * auto-configured {@link dev.jstomp.StompClient}. The passcode is never shown ({@link #toString()},
 * health, logs).
 */
@ConfigurationProperties("jstomp")
public class JstompProperties {

    /** Whether to auto-configure the jstomp client, template and listeners. */
    private boolean enabled = true;

    /**
     * The broker URL: ws:// or wss:// for STOMP over WebSocket, tcp:// or stomp+ssl:// for STOMP over TCP.
     * Ignored when "urls" is set. Default tcp://localhost:61613.
     */
    private @Nullable String url;

    /** Several broker URLs to fail over between: each connection attempt takes the next one. */
    private List<String> urls = new ArrayList<>();

    /** The login header of CONNECT. */
    private @Nullable String login;

    /** The passcode header of CONNECT; never logged or shown. */
    private @Nullable String passcode;

    /** The host header of CONNECT: the virtual host, for example "/" on RabbitMQ. */
    private @Nullable String host;

    /** Extra CONNECT headers, for example client-id. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /**
     * Whether a broker that cannot be reached (or refuses the credentials) at start-up fails the
     * application's start. False starts anyway and keeps retrying in the background, every
     * reconnect-delay, with back-off.
     */
    private boolean failFast = true;

    /** The delay before the first reconnect attempt after a lost connection (then exponential back-off); 0 for none. */
    private Duration reconnectDelay = Duration.ofSeconds(5);

    /** The longest delay between reconnect attempts. */
    private Duration reconnectMaxDelay = Duration.ofSeconds(30);

    /** The most reconnect attempts after a loss; 0 for no limit. */
    private int reconnectMaxAttempts;

    /** How long a connection attempt waits for the transport and the CONNECTED frame. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** How long receipts (sendWithReceipt, DISCONNECT at shut-down) are waited for. */
    private Duration receiptTimeout = Duration.ofSeconds(5);

    /** The largest inbound frame accepted. */
    private DataSize maxFrameSize = DataSize.ofMegabytes(32);

    /**
     * Bytes sent and not yet written to the socket that a connection may hold; past it, sends wait for room
     * up to the send timeout.
     */
    private DataSize outboundBufferLimit = DataSize.ofMegabytes(32);

    /** How long a send waits for room in a full outbound buffer before it throws; 0 to fail at once. */
    private Duration sendTimeout = Duration.ofSeconds(30);

    /** WebSocket only: the largest WebSocket message sent; larger frames are split. */
    private DataSize webSocketMessageSize = DataSize.ofKilobytes(64);

    /** Whether every frame in and out is logged at DEBUG by the logger "dev.jstomp.frames" (passcode shown as ***). */
    private boolean debug;

    private final Heartbeat heartbeat = new Heartbeat();

    private final HeldSends heldSends = new HeldSends();

    private final Ssl ssl = new Ssl();

    private final Listener listener = new Listener();

    private final Metrics metrics = new Metrics();

    private final Observation observation = new Observation();

    /** The URLs to connect to: "urls" when set, else "url", else tcp://localhost:61613. */
    public List<String> determineUrls() {
        if (!urls.isEmpty()) {
            return List.copyOf(urls);
        }
        return List.of(url != null && !url.isBlank() ? url : "tcp://localhost:61613");
    }

    /** The CONNECT headers the properties give: "headers", then login, passcode and host. */
    public Map<String, String> determineConnectHeaders() {
        Map<String, String> connect = new LinkedHashMap<>(headers);
        if (login != null) {
            connect.put("login", login);
        }
        if (passcode != null) {
            connect.put("passcode", passcode);
        }
        if (host != null) {
            connect.put("host", host);
        }
        return connect;
    }

    /** Heart-beats, as in STOMP's heart-beat header. */
    public static class Heartbeat {

        /** How often the client sends a heart-beat when otherwise silent; 0 for never. */
        private Duration outgoing = Duration.ofSeconds(10);

        /** How often the client asks the broker for a heart-beat; 0 for never. */
        private Duration incoming = Duration.ofSeconds(10);

        public Duration getOutgoing() {
            return outgoing;
        }

        public void setOutgoing(Duration outgoing) {
            this.outgoing = outgoing;
        }

        public Duration getIncoming() {
            return incoming;
        }

        public void setIncoming(Duration incoming) {
            this.incoming = incoming;
        }
    }

    /** The sends held while reconnecting, sent in order once connected again. */
    public static class HeldSends {

        /** The most messages held. */
        private int messages = 10_000;

        /** The most body bytes held. */
        private DataSize size = DataSize.ofMegabytes(64);

        public int getMessages() {
            return messages;
        }

        public void setMessages(int messages) {
            this.messages = messages;
        }

        public DataSize getSize() {
            return size;
        }

        public void setSize(DataSize size) {
            this.size = size;
        }
    }

    /** TLS for wss:// and stomp+ssl:// URLs. */
    public static class Ssl {

        /** The name of a Spring Boot SSL bundle (spring.ssl.bundle.*) to trust the broker with; default the JVM's trust store. */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /** Micrometer meters ({@code jstomp.*}), bound when the application has a {@code MeterRegistry}. */
    public static class Metrics {

        /** Whether to bind the client's jstomp.* meters to the application's MeterRegistry. */
        private boolean enabled = true;

        /**
         * Whether to tag jstomp.messages.sent, jstomp.messages.received and jstomp.callbacks with the
         * destination; turn it on only when destinations are few (each one is a time series).
         */
        private boolean destinationTag;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isDestinationTag() {
            return destinationTag;
        }

        public void setDestinationTag(boolean destinationTag) {
            this.destinationTag = destinationTag;
        }
    }

    /** Micrometer Observations (and so spans), made when the application has an {@code ObservationRegistry}. */
    public static class Observation {

        /**
         * Whether to observe each SEND and each delivery (producer and consumer spans, the trace carried in
         * the traceparent header).
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The @StompListener methods. */
    public static class Listener {

        /** Whether @StompListener methods subscribe when the application starts (each can say otherwise). */
        private boolean autoStartup = true;

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public List<String> getUrls() {
        return urls;
    }

    public void setUrls(List<String> urls) {
        this.urls = urls;
    }

    public @Nullable String getLogin() {
        return login;
    }

    public void setLogin(@Nullable String login) {
        this.login = login;
    }

    public @Nullable String getPasscode() {
        return passcode;
    }

    public void setPasscode(@Nullable String passcode) {
        this.passcode = passcode;
    }

    public @Nullable String getHost() {
        return host;
    }

    public void setHost(@Nullable String host) {
        this.host = host;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public void setHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    public boolean isFailFast() {
        return failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public Duration getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public Duration getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public int getReconnectMaxAttempts() {
        return reconnectMaxAttempts;
    }

    public void setReconnectMaxAttempts(int reconnectMaxAttempts) {
        this.reconnectMaxAttempts = reconnectMaxAttempts;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReceiptTimeout() {
        return receiptTimeout;
    }

    public void setReceiptTimeout(Duration receiptTimeout) {
        this.receiptTimeout = receiptTimeout;
    }

    public DataSize getOutboundBufferLimit() {
        return outboundBufferLimit;
    }

    public void setOutboundBufferLimit(DataSize outboundBufferLimit) {
        this.outboundBufferLimit = outboundBufferLimit;
    }

    public Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public DataSize getWebSocketMessageSize() {
        return webSocketMessageSize;
    }

    public void setWebSocketMessageSize(DataSize webSocketMessageSize) {
        this.webSocketMessageSize = webSocketMessageSize;
    }

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public Heartbeat getHeartbeat() {
        return heartbeat;
    }

    public HeldSends getHeldSends() {
        return heldSends;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public Listener getListener() {
        return listener;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Observation getObservation() {
        return observation;
    }

    @Override
    public String toString() {
        return "JstompProperties[urls=" + determineUrls() + ", login=" + login
                + ", passcode=" + (passcode == null ? "null" : "***") + ", host=" + host + "]";
    }
}
