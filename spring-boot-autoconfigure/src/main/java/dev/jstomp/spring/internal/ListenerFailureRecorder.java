package dev.jstomp.spring.internal;

/**
 * Told of each exception a {@code @StompListener} method throws, on the delivery thread, before the error
 * handler: the observability auto-configuration marks the current consumer observation failed with it, since
 * the listener's exception is caught (to NACK it) and would otherwise never reach the observation.
 */
@FunctionalInterface
public interface ListenerFailureRecorder {

    /**
     * Records a listener's failure.
     *
     * @param failure what the listener method threw
     */
    void failed(Throwable failure);
}
