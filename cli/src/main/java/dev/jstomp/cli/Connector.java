package dev.jstomp.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;

/**
 * Opens {@link Session}s with the command line's connection settings (URL, credentials, virtual host,
 * CONNECT headers, timeout, {@code --debug}): {@code connector.session("alice").url(ws).open()}.
 */
final class Connector {

    private final String url;
    private final @Nullable String login;
    private final @Nullable String passcode;
    private final @Nullable String host;
    private final Map<String, String> connectHeaders;
    private final Duration timeout;
    private final @Nullable PrintWriter debug;

    Connector(String url, @Nullable String login, @Nullable String passcode, @Nullable String host,
            Map<String, String> connectHeaders, Duration timeout, @Nullable PrintWriter debug) {
        this.url = url;
        this.login = login;
        this.passcode = passcode;
        this.host = host;
        this.connectHeaders = Map.copyOf(connectHeaders);
        this.timeout = timeout;
        this.debug = debug;
    }

    /** The URL sessions use unless told otherwise. */
    String url() {
        return url;
    }

    /** The login in use, or {@code null} when none was given. */
    @Nullable String login() {
        return login;
    }

    Duration timeout() {
        return timeout;
    }

    /** The same settings for another URL. */
    Connector withUrl(String other) {
        return new Connector(other, login, passcode, host, connectHeaders, timeout, debug);
    }

    /** Starts describing a session. */
    Builder session(String label) {
        return new Builder(label);
    }

    /** One session's settings; {@link #open()} connects. */
    final class Builder {

        private final String label;
        private String target = url;
        private long heartbeatOut = 10_000;
        private long heartbeatIn = 10_000;
        private boolean watchFrames;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder(String label) {
            this.label = label;
        }

        /** Connects to this URL instead of the command's. */
        Builder url(String value) {
            target = value;
            return this;
        }

        /** Heart-beat offer, in milliseconds (default 10,000 both ways). */
        Builder heartbeat(long outgoing, long incoming) {
            heartbeatOut = outgoing;
            heartbeatIn = incoming;
            return this;
        }

        /** Keeps a {@link FrameLog} even without {@code --debug}, to watch for receipts and beats. */
        Builder watchFrames() {
            watchFrames = true;
            return this;
        }

        /** Sets or replaces a CONNECT header, e.g. a wrong passcode for the bad-credentials check. */
        Builder connectHeader(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        /**
         * Connects and waits (bounded by the timeout) for CONNECTED.
         *
         * @throws CliException with the client's or the broker's one-line reason
         */
        Session open() {
            BrokerUrl.check(target);
            StompClient client = Stomp.client(target);
            FrameLog frames = watchFrames || debug != null ? new FrameLog(label, debug) : null;
            Session session = new Session(label, target, client, frames, timeout);
            CompletableFuture<StompFrame> connected = new CompletableFuture<>();
            try {
                client.connectTimeout(timeout).receiptTimeout(timeout);
                client.heartbeat().outgoing(heartbeatOut).incoming(heartbeatIn);
                client.debug(frames);
                client.connect(headers(), frame -> {
                    session.onConnected(frame);
                    connected.complete(frame);
                }, error -> {
                    if (!connected.completeExceptionally(new ConnectFailure(error))) {
                        session.onFailure(error);
                    }
                });
                // client-core enforces the timeout; the margin only guards against a lost callback.
                connected.get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
                return session;
            } catch (ExecutionException e) {
                client.close();
                throw e.getCause() instanceof CliException cli ? cli : new CliException(Texts.oneLine(
                        String.valueOf(e.getCause().getMessage())));
            } catch (TimeoutException e) {
                client.close();
                throw new CliException("no CONNECTED frame from " + BrokerUrl.safe(target) + " within "
                        + Texts.duration(timeout) + "; is it a STOMP endpoint?");
            } catch (InterruptedException e) {
                client.close();
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while connecting to " + BrokerUrl.safe(target));
            } catch (IllegalArgumentException e) {
                // A CONNECT header with a line break: client-core refuses it before sending anything.
                client.close();
                throw CliException.usage(Texts.oneLine(String.valueOf(e.getMessage())));
            }
        }

        private Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            if (login != null) {
                headers.put("login", login);
            }
            if (passcode != null) {
                headers.put("passcode", passcode);
            }
            if (host != null) {
                headers.put("host", host);
            }
            headers.putAll(connectHeaders);
            headers.putAll(overrides);
            return headers;
        }
    }
}
