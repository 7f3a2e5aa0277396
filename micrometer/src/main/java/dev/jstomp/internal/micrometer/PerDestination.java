package dev.jstomp.internal.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * What a convention derives from a broker and a destination only (a span name, key values), made once and
 * then read from two maps without allocating: a convention is asked for them at the start and at the stop of
 * every observation. Bounded: past {@link #MAX_PER_BROKER} destinations of one broker (per-user topics, reply
 * queues) further ones are derived each time instead of remembered, so the maps cannot grow without end.
 *
 * @param <V> what is derived
 */
public final class PerDestination<V> {

    /** Destinations remembered per broker address. */
    static final int MAX_PER_BROKER = 1024;

    private final Map<String, Map<String, V>> byBroker = new ConcurrentHashMap<>();
    private final BiFunction<String, String, V> derive;

    /**
     * @param derive makes the value from (broker, destination)
     */
    public PerDestination(BiFunction<String, String, V> derive) {
        this.derive = derive;
    }

    /** The value for this broker and destination, made at most once while the bound allows. */
    public V get(String broker, String destination) {
        Map<String, V> destinations = byBroker.get(broker);
        if (destinations == null) {
            destinations = byBroker.computeIfAbsent(broker, b -> new ConcurrentHashMap<>());
        }
        V value = destinations.get(destination);
        if (value != null) {
            return value;
        }
        value = derive.apply(broker, destination);
        if (destinations.size() < MAX_PER_BROKER) {
            destinations.putIfAbsent(destination, value);
        }
        return value;
    }
}
