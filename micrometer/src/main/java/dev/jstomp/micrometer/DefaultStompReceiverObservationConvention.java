package dev.jstomp.micrometer;

import dev.jstomp.internal.micrometer.DestinationSpan;
import dev.jstomp.internal.micrometer.PerDestination;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default names and tags of the observation around a MESSAGE's callback, after OpenTelemetry's messaging
 * conventions: name {@code jstomp.receive}, span name {@code "process <destination>"}; low-cardinality
 * {@code messaging.system=stomp} and {@code messaging.operation=process}; destination, subscription id and
 * message id only as high-cardinality keys (span attributes, never metric tags).
 */
public class DefaultStompReceiverObservationConvention implements StompReceiverObservationConvention {

    /** The same for every message: made once, not per message (KeyValues sorts on creation). */
    private static final KeyValues LOW_CARDINALITY = KeyValues.of("messaging.system", "stomp", "messaging.operation", "process");

    /** The span name and high-cardinality key values of a destination, made once (not per message). */
    private final PerDestination<DestinationSpan> derived = DestinationSpan.perDestination("process");

    /** A shared instance. */
    public static final DefaultStompReceiverObservationConvention INSTANCE = new DefaultStompReceiverObservationConvention();

    /** Creates the convention; extend it to change one part. */
    public DefaultStompReceiverObservationConvention() {
    }

    @Override
    public String getName() {
        return "jstomp.receive";
    }

    @Override
    public String getContextualName(StompReceiverContext context) {
        return derive(context).contextualName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(StompReceiverContext context) {
        return LOW_CARDINALITY;
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(StompReceiverContext context) {
        String messageId = context.message().header("message-id");
        return derive(context).highCardinality().and(
                KeyValue.of("messaging.stomp.subscription", context.subscription().id()),
                KeyValue.of("messaging.message.id", messageId == null ? "" : messageId));
    }

    private DestinationSpan derive(StompReceiverContext context) {
        return derived.get(context.broker(), context.destination());
    }
}
