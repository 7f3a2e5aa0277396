package dev.jstomp.cli;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A validated {@code jstomp perf} run: who sends and receives where, and how. Producer {@code j} runs on
 * connection {@code j mod N}, consumer {@code k} on connection {@code (P + k) mod N}; producer {@code j}
 * sends to destination {@code j mod D} and consumer {@code k} reads from destination {@code k mod D}.
 *
 * @param duration how long to send after the warm-up, or null with {@code messages}
 * @param messages messages in all, or null with {@code duration}
 * @param warmup how long the warm-up pass sends (zero: none, or one of {@code warmupMessages})
 * @param warmupMessages how many messages the warm-up pass sends (0: none, or one of {@code warmup})
 * @param heartbeatOut the heart-beats each connection offers to send, milliseconds (0: none)
 * @param heartbeatIn the heart-beats each connection asks the broker for, milliseconds (0: none)
 */
record PerfSettings(int producers, int consumers, int connections, double rate, @Nullable Duration duration,
        @Nullable Long messages, Duration warmup, long warmupMessages, int size, int destinations, boolean topic, String prefix, String ack,
        boolean persistent, int maxInFlight, long heartbeatOut, long heartbeatIn) {

    /** Whether there is a warm-up pass (of a duration or of a number of messages). */
    boolean warmsUp() {
        return !warmup.isZero() || warmupMessages > 0;
    }

    int producerConnection(int producer) {
        return producer % connections;
    }

    int consumerConnection(int consumer) {
        return (producers + consumer) % connections;
    }

    /** The name of destination {@code d} (from 0); a single destination is the prefix itself. */
    String destinationName(int d) {
        return destinations == 1 ? prefix : prefix + "." + (d + 1);
    }

    /** Consumers reading from destination {@code d}. */
    int consumersOf(int d) {
        int n = 0;
        for (int k = 0; k < consumers; k++) {
            if (k % destinations == d) {
                n++;
            }
        }
        return n;
    }

    /** How many deliveries one message to destination {@code d} makes: every subscriber of a topic, one of a queue. */
    int fanout(int d) {
        int readers = consumersOf(d);
        return topic ? readers : Math.min(1, readers);
    }

    /** One line for people. */
    String describe() {
        StringBuilder b = new StringBuilder();
        b.append(Texts.plural(producers, "producer")).append(", ").append(Texts.plural(consumers, "consumer"))
                .append(" on ").append(Texts.plural(connections, "connection")).append(", ")
                .append(Texts.plural(destinations, topic ? "topic" : "queue")).append(" (").append(prefix)
                .append(destinations == 1 ? "" : ".1.." + destinations).append("), ")
                .append(Texts.plural(size, "byte")).append(" bodies, ");
        b.append(rate > 0 ? String.format(Locale.ROOT, "%,.0f msgs/s per producer", rate) : "no rate limit");
        b.append(", ").append(messages != null ? Texts.plural(messages, "message") : "for " + Texts.duration(duration));
        if (!warmup.isZero()) {
            b.append(" after a warm-up of ").append(Texts.duration(warmup));
        } else if (warmupMessages > 0) {
            b.append(" after a warm-up of ").append(Texts.plural(warmupMessages, "message"));
        }
        b.append(", ack ").append(ack);
        if (persistent) {
            b.append(", persistent with receipts (at most ").append(Texts.count(maxInFlight)).append(" in flight per producer)");
        }
        return b.toString();
    }
}
