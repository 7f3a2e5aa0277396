package dev.jstomp.internal.transport;

import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * The settings a transport is built with, frozen at connect time.
 *
 * @param sslContext the user's TLS context, or {@code null} for the JVM default
 */
public record TransportOptions(int maxFrameSize, int webSocketMessageSize, Duration connectTimeout,
        @Nullable SSLContext sslContext) {
}
