package dev.jstomp.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation around a MESSAGE's callback; implement it (or extend
 * {@link DefaultStompReceiverObservationConvention}) and pass it to {@link StompObservation#instrument} to
 * replace the default.
 */
public interface StompReceiverObservationConvention extends ObservationConvention<StompReceiverContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof StompReceiverContext;
    }
}
