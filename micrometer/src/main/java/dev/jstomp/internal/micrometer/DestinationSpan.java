package dev.jstomp.internal.micrometer;

import io.micrometer.common.KeyValues;

/**
 * What both default conventions derive from a destination: the span name ({@code "send /queue/a"},
 * {@code "process /queue/a"}) and the high-cardinality key values {@code messaging.destination.name} and
 * {@code server.address}.
 *
 * @param contextualName the span name
 * @param highCardinality the destination's and the broker's key values
 */
public record DestinationSpan(String contextualName, KeyValues highCardinality) {

    /** Made once per broker and destination (within {@link PerDestination}'s bound), named after the operation. */
    public static PerDestination<DestinationSpan> perDestination(String operation) {
        return new PerDestination<>((broker, destination) -> new DestinationSpan(operation + " " + destination,
                KeyValues.of("messaging.destination.name", destination, "server.address", broker)));
    }
}
