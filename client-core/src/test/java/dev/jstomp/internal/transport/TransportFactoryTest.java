package dev.jstomp.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jstomp.StompConnectionException;
import dev.jstomp.internal.resources.DefaultStompResources;
import dev.jstomp.internal.resources.Pools;

/** Bad addresses fail at connect time with a clear StompConnectionException that never shows credentials. */
class TransportFactoryTest {

    private static final Pools POOLS = DefaultStompResources.SHARED.retain();
    private static final TransportOptions OPTIONS =
            new TransportOptions(1024 * 1024, 64 * 1024, Duration.ofSeconds(1), null, POOLS);

    @AfterAll
    static void releasePools() {
        DefaultStompResources.SHARED.release(POOLS, 2_000);
    }

    private static Transport create(String url) {
        return TransportFactory.forUrl(url, List.of()).create(OPTIONS);
    }

    /** What connectedTo() returns: the URL exactly as given, so a failover list can be matched against it. */
    @Test
    void urlIsTheOneGivenWithoutCredentials() {
        assertThat(TransportFactory.forUrl("ws://127.0.0.1:15711/ws", List.of()).url()).isEqualTo("ws://127.0.0.1:15711/ws");
        assertThat(TransportFactory.forUrl("tcp://Node-2:61712", List.of()).url()).isEqualTo("tcp://Node-2:61712");
        assertThat(TransportFactory.forUrl("stomp://h", List.of()).url()).isEqualTo("stomp://h");
        assertThat(TransportFactory.forUrl("wss://user:secret@h/stomp", List.of()).url()).isEqualTo("wss://h/stomp");
        assertThat(TransportFactory.forTcp("10.0.0.7", 61613).url()).isEqualTo("tcp://10.0.0.7:61613");
    }

    @Test
    void unsupportedScheme() {
        assertThatThrownBy(() -> create("ftp://x"))
                .isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("Cannot connect to ftp://x")
                .hasMessageContaining("unsupported URL scheme 'ftp'")
                .hasMessageContaining("use ws://, wss://, tcp://");
        assertThatThrownBy(() -> create("localhost:61613")).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("unsupported URL scheme");
    }

    @Test
    void webSocketUrlWithoutAHost() {
        assertThatThrownBy(() -> create("ws://")).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("Cannot connect to ws://").hasMessageContaining("malformed URL");
        assertThatThrownBy(() -> create("ws:///stomp")).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("has no host");
    }

    @Test
    void tcpUrlWithoutAHost() {
        assertThatThrownBy(() -> create("tcp://:61613")).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("has no host").hasMessageContaining("tcp://host:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://host name/stomp", "ws://[::1/stomp", "tcp://host:61613/%zz"})
    void malformedUrl(String url) {
        assertThatThrownBy(() -> create(url)).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("malformed URL");
    }

    @Test
    void malformedUrlNeverShowsItsCredentials() {
        assertThatThrownBy(() -> create("ws://user:secret@[::1/stomp")).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining("malformed URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("user:"));
    }

    @Test
    void tcpUrlDefaultsToTheStompPort() {
        Transport transport = create("tcp://broker.example");
        try {
            assertThat(transport).isInstanceOf(TcpTransport.class);
            assertThat(transport.describe()).isEqualTo("broker.example:61613 (TCP)");
        } finally {
            transport.shutdown();
        }
        Transport stomp = create("STOMP://broker.example:1234");
        try {
            assertThat(stomp.describe()).isEqualTo("broker.example:1234 (TCP)");
        } finally {
            stomp.shutdown();
        }
    }

    @Test
    void tlsUrlMakesATlsTcpTransport() {
        Transport transport = create("stomp+ssl://broker.example:61614");
        try {
            assertThat(transport.describe()).isEqualTo("broker.example:61614 (TCP with TLS)");
        } finally {
            transport.shutdown();
        }
    }

    @Test
    void tlsUrlDefaultsToTheStompTlsPort() {
        Transport transport = create("stomp+ssl://broker.example");
        try {
            assertThat(transport.describe()).isEqualTo("broker.example:61614 (TCP with TLS)");
        } finally {
            transport.shutdown();
        }
    }

    @Test
    void webSocketUrlMakesAWebSocketTransportWithoutCredentialsInItsName() {
        Transport transport = create("ws://user:secret@broker.example:15674/ws");
        try {
            assertThat(transport).isInstanceOf(WebSocketTransport.class);
            assertThat(transport.describe()).isEqualTo("ws://broker.example:15674/ws (WebSocket)");
        } finally {
            transport.shutdown();
        }
    }

    @Test
    void factoryDescriptionNeverShowsCredentials() {
        assertThat(TransportFactory.forUrl("ws://user:secret@broker.example/ws", List.of()).describe())
                .isEqualTo("ws://broker.example/ws (WebSocket)");
        assertThat(TransportFactory.forUrl("tcp://user:secret@broker.example:61613", List.of()).describe())
                .isEqualTo("tcp://broker.example:61613 (TCP)");
    }

    @Test
    void tcpPortOutOfRange() {
        assertThatThrownBy(() -> TransportFactory.forTcp("localhost", 0).create(OPTIONS))
                .isInstanceOf(StompConnectionException.class)
                .hasMessage("Cannot connect to localhost:0 (TCP): invalid port");
        assertThatThrownBy(() -> TransportFactory.forTcp("localhost", 70_000).create(OPTIONS))
                .isInstanceOf(StompConnectionException.class);
    }

    /**
     * java.net.URI parses an authority it cannot read as host[:port] (an underscore in the host, as in
     * Docker service names, or a non-numeric port) as registry-based: getHost() and getRawUserInfo() are then
     * null, so Urls.withoutUserInfo returns the URL with its user:password.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ws://guest:secret@rabbit_mq:15674/ws", "ws://guest:secret@host:abc/ws",
        "tcp://guest:secret@stomp_broker:61613"})
    void unparsableAuthorityNeverShowsItsCredentials(String url) {
        assertThatThrownBy(() -> create(url)).isInstanceOf(StompConnectionException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }

    @Test
    void passwordWithAnAtSignNeverShows() {
        assertThat(TransportFactory.forUrl("ws://guest:p@ss-secret@broker.example/ws", List.of()).describe())
                .doesNotContain("secret");
    }
}
