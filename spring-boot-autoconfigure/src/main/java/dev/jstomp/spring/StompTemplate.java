package dev.jstomp.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Sends through the auto-configured {@link StompClient}, as {@code RabbitTemplate} and
 * {@code KafkaTemplate} do: a {@code String} goes as UTF-8 text, a {@code byte[]} as is, and any other
 * object as JSON written by the application's Jackson mapper, with {@code content-type: application/json}
 * unless the headers give one.
 *
 * <pre>{@code
 * stomp.send("/queue/orders", order);
 * stomp.send("/queue/orders", Map.of("priority", "9"), order);
 * stomp.sendWithReceipt("/queue/orders", Map.of(), order).join();   // once the broker has it
 * }</pre>
 *
 * Thread-safe. While the client is reconnecting, sends are held (up to {@code jstomp.held-sends.*}) and
 * go out in order once connected; see {@link StompClient#send(String, Map, String)} for what throws.
 */
public class StompTemplate {

    private final StompClient client;
    private final @Nullable ObjectMapper mapper;

    /**
     * A template over a client.
     *
     * @param client the client to send with
     * @param mapper the mapper for objects other than {@code String} and {@code byte[]}, or {@code null}
     *     when Jackson is not on the class path (then such objects are refused)
     */
    public StompTemplate(StompClient client, @Nullable ObjectMapper mapper) {
        this.client = Objects.requireNonNull(client, "client");
        this.mapper = mapper;
    }

    /** The client this template sends with. */
    public StompClient client() {
        return client;
    }

    /**
     * Sends a payload.
     *
     * @param destination where to send
     * @param payload a {@code String}, a {@code byte[]} or an object to write as JSON
     */
    public void send(String destination, Object payload) {
        send(destination, Map.of(), payload);
    }

    /**
     * Sends a payload with extra SEND headers.
     *
     * @param destination where to send
     * @param headers extra headers, for example {@code priority} or {@code persistent}
     * @param payload a {@code String}, a {@code byte[]} or an object to write as JSON
     */
    public void send(String destination, Map<String, String> headers, Object payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload instanceof String text) {
            client.send(destination, headers, text);
        } else {
            client.send(destination, withContentType(headers, payload), bytes(destination, payload));
        }
    }

    /**
     * Sends a payload and returns the broker's RECEIPT, as {@link StompClient#sendWithReceipt(String, Map, byte[])}.
     *
     * @param destination where to send
     * @param headers extra headers
     * @param payload a {@code String}, a {@code byte[]} or an object to write as JSON
     * @return completes with the RECEIPT, or exceptionally with a {@link dev.jstomp.StompException}
     */
    public CompletableFuture<StompFrame> sendWithReceipt(String destination, Map<String, String> headers, Object payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload instanceof String text) {
            return client.sendWithReceipt(destination, headers, text);
        }
        return client.sendWithReceipt(destination, withContentType(headers, payload), bytes(destination, payload));
    }

    private static Map<String, String> withContentType(Map<String, String> headers, Object payload) {
        if (payload instanceof byte[] || headers.containsKey("content-type")) {
            return headers;
        }
        Map<String, String> json = new LinkedHashMap<>(headers);
        json.put("content-type", "application/json");
        return json;
    }

    private byte[] bytes(String destination, Object payload) {
        if (payload instanceof byte[] raw) {
            return raw;
        }
        if (mapper == null) {
            throw new IllegalStateException("Cannot send a " + payload.getClass().getName() + " to " + destination
                    + " as JSON: no Jackson ObjectMapper (add spring-boot-starter-jackson), or send a String or byte[]");
        }
        try {
            return mapper.writeValueAsBytes(payload);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Cannot write a " + payload.getClass().getName() + " as JSON for "
                    + destination + ": " + e.getOriginalMessage(), e);
        }
    }
}
