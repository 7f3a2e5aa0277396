package dev.jstomp.micrometer;

import dev.jstomp.internal.micrometer.DestinationSpan;
import dev.jstomp.internal.micrometer.PerDestination;
import io.micrometer.common.KeyValues;

/**
 * The default names and tags of a SEND's observation, after OpenTelemetry's messaging conventions: name
 * {@code jstomp.send}, span name {@code "send <destination>"}; low-cardinality {@code messaging.system=stomp}
 * and {@code messaging.operation=send}; the destination only as a high-cardinality key (span attribute, never
 * a metric tag).
 */
public class DefaultStompSenderObservationConvention implements StompSenderObservationConvention {

    /** The same for every message: made once, not per message (KeyValues sorts on creation). */
    private static final KeyValues LOW_CARDINALITY = KeyValues.of("messaging.system", "stomp", "messaging.operation", "send");

    /** The span name and high-cardinality key values of a destination, made once (not per message). */
    private final PerDestination<DestinationSpan> derived = DestinationSpan.perDestination("send");

    /** A shared instance. */
    public static final DefaultStompSenderObservationConvention INSTANCE = new DefaultStompSenderObservationConvention();

    /** Creates the convention; extend it to change one part. */
    public DefaultStompSenderObservationConvention() {
    }

    @Override
    public String getName() {
        return "jstomp.send";
    }

    @Override
    public String getContextualName(StompSenderContext context) {
        return derive(context).contextualName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(StompSenderContext context) {
        return LOW_CARDINALITY;
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(StompSenderContext context) {
        return derive(context).highCardinality();
    }

    private DestinationSpan derive(StompSenderContext context) {
        String destination = context.destination();
        return derived.get(context.broker(), destination == null ? "" : destination);
    }
}
