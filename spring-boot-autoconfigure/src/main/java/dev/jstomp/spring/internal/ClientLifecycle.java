package dev.jstomp.spring.internal;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.StompConnectionException;
import dev.jstomp.StompError;
import dev.jstomp.StompException;
import dev.jstomp.StompFrame;
import dev.jstomp.spring.JstompProperties;

/**
 * Connects the client when the context starts and stops it in order when the context closes: listeners
 * unsubscribe first, then DISCONNECT with a receipt. In the phase before the web server's, so the broker
 * connection is up before requests come in and stays up until they are done.
 */
public final class ClientLifecycle implements SmartLifecycle {

    /** Before the web server (DEFAULT_PHASE - 1024) starts, after it stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private static final Logger log = LoggerFactory.getLogger(ClientLifecycle.class);

    private final StompClient client;
    private final JstompProperties properties;
    private final ListenerRegistry listeners;
    private volatile boolean running;
    private volatile @Nullable StompError lastError;

    public ClientLifecycle(StompClient client, JstompProperties properties, ListenerRegistry listeners) {
        this.client = client;
        this.properties = properties;
        this.listeners = listeners;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void start() {
        listeners.startAutoStartup();
        running = true;
        if (client.state() != ConnectionState.DISCONNECTED) {
            // An application-made client that is already connected (or connecting) is left as it is.
            if (client.connected()) {
                listeners.connected();
            }
            return;
        }
        CompletableFuture<StompFrame> first = new CompletableFuture<>();
        Map<String, String> headers = properties.determineConnectHeaders();
        client.connect(headers, frame -> {
            lastError = null;
            log.info("jstomp connected to {}", client.connectedTo());
            first.complete(frame);
            listeners.connected();
        }, error -> {
            lastError = error;
            if (first.isDone()) {
                log.warn("jstomp: {}{}", error.message(), client.state() == ConnectionState.RECONNECTING
                        ? "; reconnecting" : "");
            }
            first.completeExceptionally(error.cause() != null ? error.cause()
                    : new StompConnectionException(error.message(), null));
        });
        if (!properties.isFailFast()) {
            first.whenComplete((frame, failure) -> {
                if (failure != null) {
                    log.warn("jstomp could not connect at start-up ({}); the application starts anyway and keeps"
                            + " retrying (jstomp.fail-fast=false)", failure.getMessage());
                }
            });
            return;
        }
        long waitMillis = properties.getConnectTimeout().toMillis() + 5_000;
        try {
            first.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            client.disconnect();
            running = false;
            throw e.getCause() instanceof StompException stomp ? stomp
                    : new StompConnectionException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            client.disconnect();
            running = false;
            throw new StompConnectionException("No connection to " + properties.determineUrls() + " within "
                    + waitMillis + " ms at start-up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.disconnect();
            running = false;
            throw new StompConnectionException("Interrupted while connecting at start-up", e);
        }
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        listeners.stopAll();
        client.disconnectAsync().whenComplete((ignored, failure) -> callback.run());
    }

    @Override
    public void stop() {
        running = false;
        listeners.stopAll();
        client.disconnectAsync().orTimeout(properties.getReceiptTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS)
                .exceptionally(failure -> null).join();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The last failure the client reported, cleared on connecting; for health. */
    public @Nullable StompError lastError() {
        return lastError;
    }
}
