package dev.jstomp.internal.transport;

import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

import dev.jstomp.internal.resources.Pools;

/**
 * The settings a transport is built with, frozen at connect time.
 *
 * @param sslContext the user's TLS context, or {@code null} for the JVM default
 * @param pools the client's resources: event loops and WebSocket clients to connect with
 */
public record TransportOptions(int maxFrameSize, int webSocketMessageSize, Duration connectTimeout,
        @Nullable SSLContext sslContext, Pools pools) {
}
