package dev.jstomp.micrometer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The {@link io.micrometer.observation.Observation.Context} of one MESSAGE handed to a subscription's
 * callback: the carrier is the message, whose headers a propagating tracing handler reads the sender's
 * {@code traceparent} from.
 */
public class StompReceiverContext extends ReceiverContext<StompMessage> {

    private final StompMessage message;
    private final Subscription subscription;
    private final String broker;

    /**
     * @param message the message
     * @param subscription the subscription it was delivered to
     * @param broker the broker address, without credentials
     */
    public StompReceiverContext(StompMessage message, Subscription subscription, String broker) {
        super((carrier, key) -> carrier.header(key));
        this.message = message;
        this.subscription = subscription;
        this.broker = broker;
        setCarrier(message);
        setRemoteServiceName("stomp");
        // No remote service address: the tracing handlers would parse it as a URI for every span; the default
        // conventions give the broker as the server.address attribute instead.
    }

    /** The message. */
    public StompMessage message() {
        return message;
    }

    /** The subscription it was delivered to. */
    public Subscription subscription() {
        return subscription;
    }

    /** The message's {@code destination} header (RabbitMQ %-encodes it), else the subscription's destination. */
    public String destination() {
        @Nullable String destination = message.header("destination");
        return destination != null ? destination : subscription.destination();
    }

    /** The broker address, without credentials. */
    public String broker() {
        return broker;
    }
}
