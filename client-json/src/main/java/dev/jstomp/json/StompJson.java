package dev.jstomp.json;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.jstomp.StompClient;
import dev.jstomp.StompFrame;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;
import dev.jstomp.internal.json.BadMessageLog;
import dev.jstomp.internal.json.ContentTypes;
import dev.jstomp.internal.json.JsonBodyReader;
import dev.jstomp.internal.json.JsonDelivery;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends Java values as JSON and subscribes with Java types, over any {@link StompClient}. Mapping is done by
 * a Jackson 3 {@link ObjectMapper} ({@code tools.jackson.databind}, the Jackson of Spring 7).
 *
 * <pre>{@code
 * record ChatMessage(String type, String msg, Instant time) {}
 *
 * StompJson json = StompJson.create();
 * json.subscribe(client, "/topic/chat", ChatMessage.class, m -> System.out.println(m.msg()));
 * json.send(client, "/topic/chat", new ChatMessage("chat", "Hello", Instant.now()));
 * }</pre>
 *
 * <ul>
 *   <li><b>Sending</b> writes the value with the mapper and sets {@code content-type:
 *       application/json;charset=UTF-8} unless the headers carry a content-type (in any case). Other headers,
 *       such as {@code transaction}, pass through.</li>
 *   <li><b>Receiving</b> reads records, classes, generic types (through a {@link TypeReference}) and
 *       polymorphic types the mapper is set up for. A message that cannot be read never reaches the callback
 *       and never ends the subscription: see {@link JsonSubscribeOptions} for where it goes.</li>
 *   <li><b>Callbacks</b> run where the client runs them: never on an I/O thread, one at a time per
 *       subscription, in arrival order.</li>
 * </ul>
 *
 * <p>A {@code StompJson} is immutable and thread-safe; make one and share it.
 */
public final class StompJson {

    private final ObjectMapper mapper;

    private StompJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A {@code StompJson} with a mapper of Jackson 3's defaults plus the Jackson modules found on the class
     * path (as Spring does). Records and {@code java.time} types work as they are; dates and durations are
     * written as ISO-8601 strings ({@code "2025-01-31T10:15:30Z"}, {@code "PT1M30S"}), never as timestamps.
     * As in Jackson 3 and Spring, unknown properties are ignored when reading, so senders can add fields.
     *
     * @return a new instance
     */
    public static StompJson create() {
        return new StompJson(JsonMapper.builder()
                .findAndAddModules()
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS, DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .build());
    }

    /**
     * A {@code StompJson} that maps with the given mapper, for example Spring's, or one with polymorphic
     * typing or naming strategies set up.
     *
     * @param mapper the mapper, used as it is
     * @return a new instance
     */
    public static StompJson create(ObjectMapper mapper) {
        return new StompJson(Objects.requireNonNull(mapper, "mapper"));
    }

    /** The mapper this instance reads and writes with. */
    public ObjectMapper mapper() {
        return mapper;
    }

    // --- sending ---

    /**
     * Sends a value as JSON with {@code content-type: application/json;charset=UTF-8}.
     *
     * @param client a connected client
     * @param destination where to send, for example {@code /queue/orders}
     * @param value the value to write
     * @throws StompJsonException when the mapper cannot write the value (nothing is sent)
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public void send(StompClient client, String destination, Object value) {
        send(client, destination, Map.of(), value);
    }

    /**
     * Sends a value as JSON with extra SEND headers, for example {@code Map.of("transaction", tx.id())}. The
     * {@code content-type} is {@code application/json;charset=UTF-8} unless the headers set one.
     *
     * @param client a connected client
     * @param destination where to send
     * @param headers extra SEND headers
     * @param value the value to write
     * @throws StompJsonException when the mapper cannot write the value (nothing is sent)
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public void send(StompClient client, String destination, Map<String, String> headers, Object value) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(value, "value");
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new StompJsonException("Cannot write a " + value.getClass().getName() + " as JSON for '"
                    + destination + "': " + e.getOriginalMessage(), e);
        }
        client.send(destination, ContentTypes.withJsonContentType(headers), body);
    }

    // --- reading ---

    /**
     * Reads a message's body as a class or record. The content-type is not checked: the caller asked for JSON.
     *
     * @param message the message (any frame with a JSON body)
     * @param type the type to read
     * @param <T> the type
     * @return the value
     * @throws StompJsonException when the body is not valid JSON, does not match the type, or is JSON
     *     {@code null}; the message names the destination, type and Jackson's problem, never the whole body
     */
    public <T> T read(StompFrame message, Class<T> type) {
        return JsonBodyReader.of(mapper, Objects.requireNonNull(type, "type")).read(message, false);
    }

    /**
     * Reads a message's body as a generic type: {@code json.read(message, new TypeReference<List<Order>>() {})}.
     *
     * @param message the message
     * @param type the type to read
     * @param <T> the type
     * @return the value
     * @throws StompJsonException when the body cannot be read as the type (see {@link #read(StompFrame, Class)})
     */
    public <T> T read(StompFrame message, TypeReference<T> type) {
        return JsonBodyReader.of(mapper, Objects.requireNonNull(type, "type")).read(message, false);
    }

    // --- subscribing ---

    /**
     * Subscribes ({@code ack: auto}) and passes each body, read as the type, to the callback.
     *
     * @param client a connected client
     * @param destination what to subscribe to
     * @param type the type to read
     * @param callback receives each value
     * @param <T> the type
     * @return the subscription
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public <T> Subscription subscribe(StompClient client, String destination, Class<T> type,
            Consumer<? super T> callback) {
        return subscribe(client, destination, JsonBodyReader.of(mapper, Objects.requireNonNull(type, "type")),
                ignoringMessage(callback), JsonSubscribeOptions.defaults());
    }

    /**
     * Subscribes ({@code ack: auto}) and passes each body, read as a generic type, to the callback:
     * {@code json.subscribe(client, "/queue/orders", new TypeReference<List<Order>>() {}, orders -> ...)}.
     *
     * @param client a connected client
     * @param destination what to subscribe to
     * @param type the type to read
     * @param callback receives each value
     * @param <T> the type
     * @return the subscription
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public <T> Subscription subscribe(StompClient client, String destination, TypeReference<T> type,
            Consumer<? super T> callback) {
        return subscribe(client, destination, JsonBodyReader.of(mapper, Objects.requireNonNull(type, "type")),
                ignoringMessage(callback), JsonSubscribeOptions.defaults());
    }

    /**
     * Subscribes with SUBSCRIBE headers and passes each value with its message, to read headers or
     * acknowledge: with {@code Map.of("ack", "client-individual")} the callback calls {@code message.ack()}.
     *
     * @param client a connected client
     * @param destination what to subscribe to
     * @param type the type to read
     * @param callback receives each value and its message
     * @param headers SUBSCRIBE headers such as {@code ack} and {@code id}
     * @param <T> the type
     * @return the subscription
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public <T> Subscription subscribe(StompClient client, String destination, Class<T> type,
            BiConsumer<? super T, StompMessage> callback, Map<String, String> headers) {
        return subscribe(client, destination, type, callback, JsonSubscribeOptions.defaults().headers(headers));
    }

    /**
     * Subscribes with SUBSCRIBE headers and passes each value, read as a generic type, with its message.
     *
     * @param client a connected client
     * @param destination what to subscribe to
     * @param type the type to read
     * @param callback receives each value and its message
     * @param headers SUBSCRIBE headers such as {@code ack} and {@code id}
     * @param <T> the type
     * @return the subscription
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public <T> Subscription subscribe(StompClient client, String destination, TypeReference<T> type,
            BiConsumer<? super T, StompMessage> callback, Map<String, String> headers) {
        return subscribe(client, destination, type, callback, JsonSubscribeOptions.defaults().headers(headers));
    }

    /**
     * Subscribes with options: SUBSCRIBE headers, an error handler for messages that cannot be read, and
     * whether to ignore the content-type.
     *
     * @param client a connected client
     * @param destination what to subscribe to
     * @param type the type to read
     * @param callback receives each value and its message
     * @param options headers and error handling
     * @param <T> the type
     * @return the subscription
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public <T> Subscription subscribe(StompClient client, String destination, Class<T> type,
            BiConsumer<? super T, StompMessage> callback, JsonSubscribeOptions options) {
        return subscribe(client, destination, JsonBodyReader.of(mapper, Objects.requireNonNull(type, "type")),
                callback, options);
    }

    /**
     * Subscribes with options, reading a generic type.
     *
     * @param client a connected client
     * @param destination what to subscribe to
     * @param type the type to read
     * @param callback receives each value and its message
     * @param options headers and error handling
     * @param <T> the type
     * @return the subscription
     * @throws dev.jstomp.StompConnectionException when the client is not connected
     */
    public <T> Subscription subscribe(StompClient client, String destination, TypeReference<T> type,
            BiConsumer<? super T, StompMessage> callback, JsonSubscribeOptions options) {
        return subscribe(client, destination, JsonBodyReader.of(mapper, Objects.requireNonNull(type, "type")),
                callback, options);
    }

    private static <T> Subscription subscribe(StompClient client, String destination, JsonBodyReader<T> reader,
            BiConsumer<? super T, StompMessage> callback, JsonSubscribeOptions options) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        BiConsumer<StompMessage, StompJsonException> errorHandler = options.errorHandler();
        if (errorHandler == null) {
            errorHandler = new BadMessageLog(options.headers().getOrDefault("ack", "auto"));
        }
        return client.subscribe(destination,
                new JsonDelivery<>(reader, callback, errorHandler, !options.lenientContentType()), options.headers());
    }

    private static <T> BiConsumer<T, StompMessage> ignoringMessage(Consumer<? super T> callback) {
        Objects.requireNonNull(callback, "callback");
        return (value, message) -> callback.accept(value);
    }
}
