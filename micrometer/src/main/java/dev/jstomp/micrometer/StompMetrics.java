package dev.jstomp.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.jstomp.StompClient;
import dev.jstomp.internal.micrometer.MetricsObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Micrometer meters for a {@link StompClient}: connection state, connects, reconnects and failures, frames
 * and body bytes by command, messages sent and received, receipt round trips, callback durations, inbound
 * backlog, held sends and late heart-beats, all named {@code jstomp.*} and tagged with {@code transport} and
 * {@code broker} (the README lists them). Call it before {@code connect}:
 *
 * <pre>{@code
 * StompClient client = Stomp.client("ws://localhost:15674/ws");
 * StompMetrics.bind(client, meterRegistry);                         // or, with options:
 * StompMetrics.bind(client, meterRegistry, StompMetrics.options().tag("client", "orders").destinationTag(true));
 * client.connect(...);
 * }</pre>
 *
 * Two clients bound to one registry with the same tags share their counters and the first one's gauges: give
 * each its own tag (say {@code client}) to tell them apart. Passcodes and header values never appear in a
 * meter; the {@code destination} tag appears only when turned on.
 */
public final class StompMetrics {

    private StompMetrics() {
    }

    /**
     * Binds the client's meters to the registry, with no extra tags and no {@code destination} tag.
     *
     * @param client a client that is not connected yet
     * @param registry where the meters go
     * @throws IllegalStateException when the client is connected or connecting
     */
    public static void bind(StompClient client, MeterRegistry registry) {
        bind(client, registry, options());
    }

    /**
     * Binds the client's meters to the registry.
     *
     * @param client a client that is not connected yet
     * @param registry where the meters go
     * @param options extra tags and whether to tag by destination
     * @throws IllegalStateException when the client is connected or connecting
     */
    public static void bind(StompClient client, MeterRegistry registry, Options options) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(options, "options");
        client.observe(new MetricsObserver(registry, Tags.of(options.tags), options.destinationTag));
    }

    /** New options: no extra tags, no {@code destination} tag. */
    public static Options options() {
        return new Options();
    }

    /** How {@link #bind(StompClient, MeterRegistry, Options)} tags the meters; set fluently. */
    public static final class Options {

        private final List<Tag> tags = new ArrayList<>();
        private boolean destinationTag;

        private Options() {
        }

        /**
         * Adds a tag to every meter of the client, for example {@code tag("client", "orders")}.
         *
         * @param key the tag key
         * @param value the tag value
         * @return these options
         */
        public Options tag(String key, String value) {
            tags.add(Tag.of(key, value));
            return this;
        }

        /**
         * Adds tags to every meter of the client.
         *
         * @param extra the tags
         * @return these options
         */
        public Options tags(Iterable<Tag> extra) {
            extra.forEach(tags::add);
            return this;
        }

        /**
         * Tags {@code jstomp.messages.sent}, {@code jstomp.messages.received} and {@code jstomp.callbacks}
         * with the message's {@code destination} (off by default). Turn it on only when destinations are few:
         * RabbitMQ reply queues and per-user topics make one time series each.
         *
         * @param on whether to tag by destination
         * @return these options
         */
        public Options destinationTag(boolean on) {
            destinationTag = on;
            return this;
        }
    }
}
