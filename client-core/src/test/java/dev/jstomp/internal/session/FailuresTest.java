package dev.jstomp.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.stomp.StompConversionException;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompException;
import dev.jstomp.StompProtocolException;
import dev.jstomp.StompTimeoutException;
import io.netty.handler.codec.DecoderException;

/** Every message names the address and says what to check; none can contain a passcode, which it never gets. */
class FailuresTest {

    private static final String ADDRESS = "broker.example:61613 (TCP)";

    @Test
    void refusedConnection() {
        StompException failure = Failures.openFailed(ADDRESS, new ConnectException("Connection refused"));

        assertThat(failure).isInstanceOf(StompConnectionException.class)
                .hasMessageStartingWith("Cannot connect to " + ADDRESS)
                .hasMessageContaining("connection refused").hasMessageContaining("is the broker running")
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void unknownHost() {
        assertThat(Failures.openFailed(ADDRESS, new UnknownHostException("broker.example")))
                .isInstanceOf(StompConnectionException.class)
                .hasMessageContaining(ADDRESS).hasMessageContaining("unknown host");
        assertThat(Failures.openFailed(ADDRESS, new IOException("resolve", new UnresolvedAddressException())))
                .hasMessageContaining("unknown host");
    }

    @Test
    void tlsFailureNamesTheTlsProblem() {
        StompException failure = Failures.openFailed(ADDRESS,
                new IOException("wrapped", new SSLHandshakeException("PKIX path building failed")));

        assertThat(failure).isInstanceOf(StompConnectionException.class)
                .hasMessageContaining(ADDRESS).hasMessageContaining("TLS handshake failed (PKIX path building failed)")
                .hasMessageContaining("trust store");
    }

    @Test
    void webSocketHandshakeFailure() {
        StompException failure = Failures.openFailed(ADDRESS, new IllegalStateException("Handshake error: 404 Not Found"));

        assertThat(failure).hasMessageContaining(ADDRESS).hasMessageContaining("WebSocket handshake failed")
                .hasMessageContaining("404 Not Found").hasMessageContaining("URL path");
    }

    @Test
    void nestedCompletionAndExecutionExceptionsAreSeenThrough() {
        Throwable nested = new CompletionException(new ExecutionException(new ConnectException("Connection refused")));

        StompException failure = Failures.openFailed(ADDRESS, nested);

        assertThat(failure).hasMessageContaining("connection refused").hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void stompExceptionPassesThroughUnchanged() {
        StompTimeoutException timeout = new StompTimeoutException("No CONNECTED frame from " + ADDRESS);

        assertThat(Failures.openFailed(ADDRESS, new CompletionException(timeout))).isSameAs(timeout);
        assertThat(Failures.connectionFailed(ADDRESS, new CompletionException(timeout))).isSameAs(timeout);
    }

    @Test
    void unknownOpenFailureStillNamesTheAddressAndTheCause() {
        assertThat(Failures.openFailed(ADDRESS, new RuntimeException()))
                .hasMessage("Cannot connect to " + ADDRESS + ": RuntimeException");
        assertThat(Failures.openFailed(ADDRESS, new IllegalArgumentException("bad port")))
                .hasMessage("Cannot connect to " + ADDRESS + ": bad port; check the URL");
    }

    @Test
    void bufferLimitBecomesAProtocolErrorPointingAtMaxFrameSize() {
        StompException failure = Failures.connectionFailed(ADDRESS,
                new StompConversionException("The configured STOMP buffer size limit of 65536 bytes has been exceeded"));

        assertThat(failure).isInstanceOf(StompProtocolException.class)
                .hasMessageContaining(ADDRESS).hasMessageContaining("larger than the limit")
                .hasMessageContaining("65536").hasMessageContaining("maxFrameSize");
    }

    @Test
    void otherDecoderErrorsAreMalformedFrames() {
        StompException failure = Failures.connectionFailed(ADDRESS,
                new DecoderException(new StompConversionException("Illegal escape sequence at index 1: a\\tb")));

        assertThat(failure).isInstanceOf(StompProtocolException.class)
                .hasMessage("Connection to " + ADDRESS + " closed: the broker sent a malformed frame: "
                        + "Illegal escape sequence at index 1: a\\tb");
    }

    @Test
    void protocolExceptionFromTheCodecKeepsItsText() {
        StompException failure = Failures.connectionFailed(ADDRESS,
                new DecoderException(new StompProtocolException("an inbound frame is larger than the limit of 10 bytes", null)));

        assertThat(failure).isInstanceOf(StompProtocolException.class)
                .hasMessage("Connection to " + ADDRESS + " closed: an inbound frame is larger than the limit of 10 bytes");
    }

    @Test
    void unknownCommandSuggestsTheEndpointIsNotStomp() {
        StompException failure = Failures.connectionFailed(ADDRESS, new DecoderException(new IllegalArgumentException(
                "No enum constant org.springframework.messaging.simp.stomp.StompCommand.HTTP/1.1 400 Bad Request")));

        assertThat(failure).isInstanceOf(StompProtocolException.class)
                .hasMessageContaining(ADDRESS).hasMessageContaining("unknown command")
                .hasMessageContaining("is this a STOMP endpoint?");
    }

    @Test
    void ioFailureOfAnOpenConnection() {
        assertThat(Failures.connectionFailed(ADDRESS, new IOException("Connection reset by peer")))
                .isInstanceOf(StompConnectionException.class)
                .hasMessage("Connection to " + ADDRESS + " failed: Connection reset by peer");
    }

    @Test
    void lostConnection() {
        assertThat(Failures.lost(ADDRESS)).isInstanceOf(StompConnectionException.class)
                .hasMessage("Connection to " + ADDRESS + " was closed by the broker or the network");
    }
}
