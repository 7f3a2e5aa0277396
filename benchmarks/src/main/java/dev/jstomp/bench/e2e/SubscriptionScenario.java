package dev.jstomp.bench.e2e;

import java.util.Arrays;

/**
 * What the N subscriptions of the subscriptions probe are subscribed to, and how one message reaches each.
 *
 * <p>On Artemis every SUBSCRIBE costs time proportional to the consumers already on the connection, whatever
 * the destination: {@code StompSession.addSubscription} calls {@code ServerSessionImpl.start()}, which
 * restarts every consumer of the connection's one session and so schedules a delivery attempt on each of
 * their queues. N subscriptions on one connection cost O(N²) in the broker (ARTEMIS-4575 removed the same
 * pattern from OpenWire only). The scenarios differ in what else the broker creates per subscription.
 */
public enum SubscriptionScenario {
    /** N distinct {@code /queue/} destinations, created by the runner beforehand; N SENDs, one to each. */
    QUEUES("queues"),
    /** N distinct {@code /topic/} destinations (the broker auto-creates each address); N SENDs, one to each. */
    TOPICS("topics"),
    /** N subscriptions (distinct ids) to one {@code /topic/} destination; one SEND reaches all N. */
    ONE_TOPIC("one-topic");

    private final String label;

    SubscriptionScenario(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The destination of subscription {@code i} in the set {@code set}. */
    public String destination(String set, int i) {
        return switch (this) {
            case QUEUES -> "/queue/" + queueName(set, i);
            case TOPICS -> "/topic/subs." + set + "." + i;
            case ONE_TOPIC -> "/topic/subs." + set;
        };
    }

    /** The broker's queue name (address) behind {@link #QUEUES}' destination {@code i}. */
    public static String queueName(String set, int i) {
        return "subs." + set + "." + i;
    }

    /** How many SENDs deliver one message to each of {@code count} subscriptions. */
    public int sends(int count) {
        return this == ONE_TOPIC ? 1 : count;
    }

    public static SubscriptionScenario of(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown subscription scenario '" + label
                        + "'; one of queues, topics, one-topic"));
    }
}
