package dev.jstomp.internal.json;

import java.lang.reflect.Type;
import java.nio.charset.Charset;

import org.jspecify.annotations.Nullable;

import dev.jstomp.StompFrame;
import dev.jstomp.internal.frame.Frame;
import dev.jstomp.json.StompJsonException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

/**
 * Reads frame bodies as one Java type. Immutable and thread-safe; a subscription builds one and keeps it,
 * so Jackson resolves the type once.
 *
 * @param <T> the type read
 */
public final class JsonBodyReader<T> {

    /** Jackson quotes values in its messages; a cap keeps a huge one out of logs and exception messages. */
    private static final int MAX_PROBLEM_LENGTH = 500;

    private final ObjectReader reader;
    private final String typeName;

    private JsonBodyReader(ObjectReader reader, Type type) {
        this.reader = reader;
        this.typeName = type.getTypeName();
    }

    /** A reader for a class or record. */
    public static <T> JsonBodyReader<T> of(ObjectMapper mapper, Class<T> type) {
        return new JsonBodyReader<>(mapper.readerFor(type), type);
    }

    /** A reader for a generic type, such as {@code new TypeReference<List<Order>>() {}}. */
    public static <T> JsonBodyReader<T> of(ObjectMapper mapper, TypeReference<T> type) {
        return new JsonBodyReader<>(mapper.readerFor(type), type.getType());
    }

    /** The type's name as Java writes it, for example {@code java.util.List<com.acme.Order>}. */
    public String typeName() {
        return typeName;
    }

    /**
     * Reads the frame's body.
     *
     * @param frame the frame
     * @param requireJsonContentType refuse a frame whose content-type says it is not JSON
     * @return the value; never {@code null} (a body of JSON {@code null} is refused)
     * @throws StompJsonException when the body cannot be read as the type
     */
    public T read(StompFrame frame, boolean requireJsonContentType) {
        String contentType = ContentTypes.find(frame.headers());
        if (requireJsonContentType && !ContentTypes.isJson(contentType)) {
            throw failure(frame, "its content-type is '" + contentType + "', not JSON (subscribe with "
                    + "JsonSubscribeOptions.lenientContentType(true) to read such messages anyway)", null);
        }
        T value;
        try {
            value = parse(frame, contentType);
        } catch (JacksonException e) {
            throw failure(frame, problem(e), e);
        }
        if (value == null) {
            throw failure(frame, "the body is the JSON literal null", null);
        }
        return value;
    }

    /**
     * UTF-8 bodies go to Jackson as bytes (it detects UTF-16/32 itself), read where they are in a frame
     * jstomp received: {@code binaryBody()} would copy them first. Another declared charset is decoded.
     */
    private T parse(StompFrame frame, @Nullable String contentType) {
        String charsetName = ContentTypes.charsetName(contentType);
        if (charsetName == null || ContentTypes.isUtf8(charsetName)) {
            if (frame instanceof Frame received) {
                return reader.readValue(received.bodyArray(), received.bodyOffset(), received.bodyLength());
            }
            return reader.readValue(frame.binaryBody());
        }
        Charset charset;
        try {
            charset = Charset.forName(charsetName);
        } catch (IllegalArgumentException e) {
            throw failure(frame, "its content-type names the charset '" + charsetName
                    + "', which this JVM does not support", null);
        }
        return reader.readValue(frame instanceof Frame received
                ? new String(received.bodyArray(), received.bodyOffset(), received.bodyLength(), charset)
                : new String(frame.binaryBody(), charset));
    }

    private StompJsonException failure(StompFrame frame, String problem, @Nullable Throwable cause) {
        return new StompJsonException("Cannot read " + describe(frame) + " as " + typeName + ": " + problem, cause);
    }

    /** "the message from '/queue/orders' (message-id ID:1)", leaving out what the frame does not have. */
    static String describe(StompFrame frame) {
        StringBuilder text = new StringBuilder("the ").append("MESSAGE".equals(frame.command()) ? "message"
                : frame.command() + " frame");
        String destination = frame.header("destination");
        if (destination != null) {
            text.append(" from '").append(destination).append('\'');
        }
        String messageId = frame.header("message-id");
        if (messageId != null) {
            text.append(" (message-id ").append(messageId).append(')');
        }
        return text.toString();
    }

    /**
     * Jackson's problem without its "[Source: ...]" part (which could quote the body when a mapper is set up
     * to), with the JSON path and byte offset where Jackson knows them.
     */
    static String problem(JacksonException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getOriginalMessage()));
        String path = e.getPathReference();
        TokenStreamLocation location = e.getLocation();
        long offset = location == null ? -1 : location.getByteOffset() >= 0 ? location.getByteOffset()
                : location.getCharOffset();
        if ((path != null && !path.isEmpty()) || offset >= 0) {
            text.append(" (at");
            if (path != null && !path.isEmpty()) {
                text.append(' ').append(path);
            }
            if (offset >= 0) {
                text.append(path != null && !path.isEmpty() ? ", " : " ").append("offset ").append(offset);
            }
            text.append(')');
        }
        return text.length() <= MAX_PROBLEM_LENGTH ? text.toString()
                : text.substring(0, MAX_PROBLEM_LENGTH) + "...";
    }
}
