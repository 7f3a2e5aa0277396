package dev.jstomp.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a SEND; implement it (or extend
 * {@link DefaultStompSenderObservationConvention}) and pass it to {@link StompObservation#instrument} to
 * replace the default.
 */
public interface StompSenderObservationConvention extends ObservationConvention<StompSenderContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof StompSenderContext;
    }
}
