package dev.jstomp.micrometer;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompFrame;
import io.micrometer.observation.transport.SenderContext;

/**
 * The {@link io.micrometer.observation.Observation.Context} of one SEND: the carrier is the map of headers
 * added to the frame, so a propagating tracing handler writes {@code traceparent} (and {@code tracestate})
 * into the frame as it starts the producer span.
 */
public class StompSenderContext extends SenderContext<Map<String, String>> {

    private final StompFrame send;
    private final String broker;

    /**
     * @param send the SEND as the caller built it
     * @param addedHeaders the headers to add to it (the carrier)
     * @param broker the broker address, without credentials
     */
    public StompSenderContext(StompFrame send, Map<String, String> addedHeaders, String broker) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        this.send = send;
        this.broker = broker;
        setCarrier(addedHeaders);
        setRemoteServiceName("stomp");
        // No remote service address: the tracing handlers would parse it as a URI for every span; the default
        // conventions give the broker as the server.address attribute instead.
    }

    /** The SEND frame as the caller built it, without the headers the observation adds. */
    public StompFrame frame() {
        return send;
    }

    /** The SEND's destination. */
    public @Nullable String destination() {
        return send.header("destination");
    }

    /** The broker address, without credentials. */
    public String broker() {
        return broker;
    }
}
