package dev.jstomp.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompMessage;

/**
 * How a {@link StompJson#subscribe JSON subscription} subscribes and what it does with a message it cannot
 * read. Immutable: each method returns a changed copy.
 *
 * <pre>{@code
 * JsonSubscribeOptions options = JsonSubscribeOptions.defaults()
 *         .headers(Map.of("ack", "client-individual"))
 *         .onError((message, e) -> deadLetters.add(message.body()));
 * json.subscribe(client, "/queue/orders", Order.class, (order, message) -> {
 *     process(order);
 *     message.ack();
 * }, options);
 * }</pre>
 *
 * <h2>Messages that cannot be read</h2>
 * A message whose body is not valid JSON, does not match the type, or whose {@code content-type} says it is
 * not JSON (for example {@code text/plain}; a missing content-type is fine) never reaches the callback and
 * never ends the subscription or the connection. It goes to the error handler instead; the default one logs
 * it at WARN (SLF4J logger {@code dev.jstomp.json.StompJson}) with the destination, {@code message-id},
 * Jackson's problem and the body's first 200 characters. The message is not acknowledged: under
 * {@code ack: client-individual} the broker redelivers it or moves it to a dead-letter queue as it is set up
 * to; under {@code ack: client} a later ACK of a good message covers it too (that is what {@code client} means);
 * under {@code ack: auto} it is gone. The error handler may {@code ack} or {@code nack} it itself.
 */
public final class JsonSubscribeOptions {

    private static final JsonSubscribeOptions DEFAULTS = new JsonSubscribeOptions(Map.of(), null, false);

    private final Map<String, String> headers;
    private final @Nullable BiConsumer<StompMessage, StompJsonException> errorHandler;
    private final boolean lenientContentType;

    private JsonSubscribeOptions(Map<String, String> headers,
            @Nullable BiConsumer<StompMessage, StompJsonException> errorHandler, boolean lenientContentType) {
        this.headers = headers;
        this.errorHandler = errorHandler;
        this.lenientContentType = lenientContentType;
    }

    /** No extra SUBSCRIBE headers ({@code ack: auto}), the logging error handler, content-type checked. */
    public static JsonSubscribeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets the SUBSCRIBE headers, as in {@code client.subscribe(destination, callback, headers)}: {@code ack},
     * {@code id}, {@code selector}, broker extensions.
     *
     * @param headers the headers; copied
     * @return a copy with these headers
     */
    public JsonSubscribeOptions headers(Map<String, String> headers) {
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(headers, "headers")));
        return new JsonSubscribeOptions(copy, errorHandler, lenientContentType);
    }

    /**
     * Sets what happens to a message that cannot be read. The handler runs on the subscription's callback
     * thread, in order with the other messages; if it throws, the exception is logged like any callback's.
     *
     * @param errorHandler receives the message and why it could not be read; {@code null} restores the
     *     default, logging at WARN
     * @return a copy with this error handler
     */
    public JsonSubscribeOptions onError(@Nullable BiConsumer<StompMessage, StompJsonException> errorHandler) {
        return new JsonSubscribeOptions(headers, errorHandler, lenientContentType);
    }

    /**
     * Reads every body as JSON whatever its {@code content-type} says (for senders that label JSON
     * {@code text/plain}, for example). Off by default.
     *
     * @param lenient {@code true} to ignore the content-type
     * @return a copy with this setting
     */
    public JsonSubscribeOptions lenientContentType(boolean lenient) {
        return new JsonSubscribeOptions(headers, errorHandler, lenient);
    }

    /** The SUBSCRIBE headers, unmodifiable; empty by default. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The error handler, or {@code null} for the default (logging at WARN). */
    public @Nullable BiConsumer<StompMessage, StompJsonException> errorHandler() {
        return errorHandler;
    }

    /** Whether bodies are read whatever their content-type. */
    public boolean lenientContentType() {
        return lenientContentType;
    }

    @Override
    public String toString() {
        return "JsonSubscribeOptions[headers=" + headers + ", errorHandler=" + (errorHandler == null ? "log" : "custom")
                + ", lenientContentType=" + lenientContentType + "]";
    }
}
