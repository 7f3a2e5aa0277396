package dev.jstomp.internal.json;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.jstomp.StompMessage;
import dev.jstomp.json.StompJsonException;

/**
 * The {@code Consumer<StompMessage>} a JSON subscription hands to the client: reads each body, passes good
 * ones to the user's callback and unreadable ones to the error handler, so bad input never reaches the
 * client's own "callback threw" path and the subscription goes on. A bad message is never acknowledged here.
 *
 * @param <T> the type read
 */
public final class JsonDelivery<T> implements Consumer<StompMessage> {

    private final JsonBodyReader<T> reader;
    private final BiConsumer<? super T, StompMessage> callback;
    private final BiConsumer<StompMessage, StompJsonException> errorHandler;
    private final boolean requireJsonContentType;

    /**
     * @param reader reads the bodies
     * @param callback receives each value read, with its message
     * @param errorHandler receives each message that could not be read
     * @param requireJsonContentType refuse messages whose content-type says they are not JSON
     */
    public JsonDelivery(JsonBodyReader<T> reader, BiConsumer<? super T, StompMessage> callback,
            BiConsumer<StompMessage, StompJsonException> errorHandler, boolean requireJsonContentType) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.callback = Objects.requireNonNull(callback, "callback");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        this.requireJsonContentType = requireJsonContentType;
    }

    @Override
    public void accept(StompMessage message) {
        T value;
        try {
            value = reader.read(message, requireJsonContentType);
        } catch (StompJsonException e) {
            errorHandler.accept(message, e);
            return;
        }
        // Outside the try: an exception from the user's own code is theirs, and the client logs it.
        callback.accept(value, message);
    }
}
