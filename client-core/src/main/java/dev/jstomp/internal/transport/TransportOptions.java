package dev.jstomp.internal.transport;

import java.time.Duration;

/** The settings a transport is built with, frozen at connect time. */
public record TransportOptions(int maxFrameSize, int webSocketMessageSize, Duration connectTimeout) {
}
