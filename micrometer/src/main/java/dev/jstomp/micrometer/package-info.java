/**
 * Micrometer metrics ({@link dev.jstomp.micrometer.StompMetrics}) and Observation-based tracing
 * ({@link dev.jstomp.micrometer.StompObservation}) for jstomp clients.
 */
@NullMarked
package dev.jstomp.micrometer;

import org.jspecify.annotations.NullMarked;
