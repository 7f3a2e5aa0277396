package dev.jstomp.internal.session;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLException;

import org.springframework.messaging.simp.stomp.StompConversionException;

import dev.jstomp.StompConnectionException;
import dev.jstomp.StompException;
import dev.jstomp.StompProtocolException;

/**
 * Turns transport failures into {@link StompException}s that say what failed, where, and what to check.
 * The address comes from {@code Transport.describe()}, which never contains credentials.
 */
final class Failures {

    private Failures() {
    }

    /** The transport could not be opened. */
    static StompException openFailed(String address, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StompException stomp) {
            return stomp;
        }
        if (find(failure, UnknownHostException.class) != null || find(failure, UnresolvedAddressException.class) != null) {
            return new StompConnectionException("Cannot connect to " + address
                    + ": unknown host; check the host name in the URL", cause);
        }
        ConnectException refused = find(failure, ConnectException.class);
        if (refused != null) {
            return new StompConnectionException("Cannot connect to " + address
                    + ": connection refused; is the broker running and is STOMP enabled on that port?", cause);
        }
        if (find(failure, SSLException.class) != null) {
            return new StompConnectionException("Cannot connect to " + address + ": TLS handshake failed ("
                    + text(find(failure, SSLException.class)) + "); check the certificate and trust store", cause);
        }
        String text = text(cause);
        if (text.toLowerCase(Locale.ROOT).contains("handshake")) {
            return new StompConnectionException("Cannot connect to " + address + ": the WebSocket handshake failed ("
                    + text + "); check the URL path and that the broker serves STOMP over WebSocket there", cause);
        }
        if (cause instanceof IllegalArgumentException) {
            return new StompConnectionException("Cannot connect to " + address + ": " + text
                    + "; check the URL", cause);
        }
        return new StompConnectionException("Cannot connect to " + address + ": " + text, cause);
    }

    /** An open connection failed. */
    static StompException connectionFailed(String address, Throwable failure) {
        Throwable cause = unwrap(failure);
        StompProtocolException protocol = find(failure, StompProtocolException.class);
        if (protocol != null) {
            return new StompProtocolException("Connection to " + address + " closed: " + protocol.getMessage(), protocol);
        }
        StompConversionException conversion = find(failure, StompConversionException.class);
        if (conversion != null) {
            String text = text(conversion);
            if (text.contains("buffer size limit")) {
                text = "an inbound frame is larger than the limit (" + text
                        + "); raise StompClient.maxFrameSize(...) if the broker really sends frames that large";
            }
            return new StompProtocolException("Connection to " + address + " closed: the broker sent a malformed frame: "
                    + text, conversion);
        }
        if (cause instanceof StompException stomp) {
            return stomp;
        }
        IllegalArgumentException badCommand = find(failure, IllegalArgumentException.class);
        if (badCommand != null && text(badCommand).contains("StompCommand")) {
            return new StompProtocolException("Connection to " + address
                    + " closed: the broker sent a frame with an unknown command; is this a STOMP endpoint?", badCommand);
        }
        return new StompConnectionException("Connection to " + address + " failed: " + text(cause), cause);
    }

    /** The connection closed without a failure we were told about. */
    static StompConnectionException lost(String address) {
        return new StompConnectionException("Connection to " + address + " was closed by the broker or the network", null);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable current = t; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    private static String text(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
