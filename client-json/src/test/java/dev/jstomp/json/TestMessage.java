package dev.jstomp.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jstomp.StompMessage;

/** A hand-written MESSAGE frame that records the ACK and NACK calls made on it. */
public final class TestMessage implements StompMessage {

    private final Map<String, String> headers;
    private final byte[] body;
    public final List<String> acknowledgements = Collections.synchronizedList(new ArrayList<>());

    private TestMessage(Map<String, String> headers, byte[] body) {
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
    }

    /** A message from {@code /queue/orders}, {@code message-id: m-1}, with the given body and extra headers. */
    public static TestMessage of(String body, String... headerPairs) {
        return of(body.getBytes(StandardCharsets.UTF_8), headerPairs);
    }

    public static TestMessage of(byte[] body, String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("destination", "/queue/orders");
        headers.put("message-id", "m-1");
        headers.put("subscription", "sub-1");
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new TestMessage(headers, body);
    }

    @Override
    public String command() {
        return "MESSAGE";
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] binaryBody() {
        return body.clone();
    }

    @Override
    public void ack(Map<String, String> ackHeaders) {
        acknowledgements.add("ACK");
    }

    @Override
    public void nack(Map<String, String> ackHeaders) {
        acknowledgements.add("NACK");
    }
}
