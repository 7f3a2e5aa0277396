package dev.jstomp.spring.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.jstomp.StompException;
import dev.jstomp.spring.StompListenerErrorHandler;
import dev.jstomp.spring.StompListenerFailure;

/** The default {@link StompListenerErrorHandler}: logs at ERROR, and NACKs under client acks. */
public final class LoggingErrorHandler implements StompListenerErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(StompListenerErrorHandler.class);

    @Override
    public void handle(StompListenerFailure failure) {
        log.error("@StompListener {} failed on a message from {} (message-id {}){}", failure.listener(),
                failure.destination(), failure.messageId(), failure.clientAck() ? "; NACKed" : "", failure.cause());
        if (failure.clientAck()) {
            try {
                failure.message().nack();
            } catch (StompException e) {
                log.warn("Could not NACK message-id {} from {}: {}", failure.messageId(), failure.destination(),
                        e.getMessage());
            }
        }
    }
}
