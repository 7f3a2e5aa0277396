package dev.jstomp.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Subscribes a bean method to a STOMP destination, as {@code @RabbitListener} and {@code @KafkaListener}
 * do. The subscription is made once the client is connected and made again after every reconnect.
 *
 * <pre>{@code
 * @StompListener(destination = "${orders.destination}", headers = "ack=client-individual")
 * void onOrder(Order order, StompMessage message, @Header("priority") String priority) { ... }
 * }</pre>
 *
 * <p>Parameters, in any order: at most one payload (a {@code String} is the body as UTF-8 text, a
 * {@code byte[]} the body as is, any other type, generic ones included, is read from JSON with the
 * application's Jackson {@code JsonMapper}); the {@link dev.jstomp.StompMessage}; and header values
 * annotated with Spring's {@link org.springframework.messaging.handler.annotation.Header @Header}
 * ({@code String}, or a type Spring's conversion service converts to; {@code required = false} for
 * {@code null} when absent).
 *
 * <p>With {@code ack=client} or {@code ack=client-individual} the message is ACKed when the method returns
 * and handed to the {@link StompListenerErrorHandler} (by default: logged and NACKed) when conversion fails
 * or the method throws. With the default {@code ack=auto} the broker considers it delivered when sent.
 *
 * <p>{@code destination}, {@code headers} and {@code concurrency} take {@code ${...}} placeholders and
 * {@code #{...}} SpEL expressions.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StompListener {

    /**
     * The destination; alias for {@link #destination()}.
     *
     * @return the destination
     */
    @AliasFor("destination")
    String value() default "";

    /**
     * The destination to subscribe to, for example {@code /queue/orders} or
     * {@code /exchange/FanoutDemandExchange} (RabbitMQ).
     *
     * @return the destination
     */
    @AliasFor("value")
    String destination() default "";

    /**
     * Extra SUBSCRIBE headers as {@code "name=value"}, for example {@code "ack=client-individual"},
     * {@code "prefetch-count=10"} (RabbitMQ) or a {@code selector}.
     *
     * @return the headers
     */
    String[] headers() default {};

    /**
     * The listener's id for {@link StompListeners#start(String)} and {@link StompListeners#stop(String)};
     * by default {@code BeanClass.method}.
     *
     * @return the id, or {@code ""} for the default
     */
    String id() default "";

    /**
     * Whether the listener subscribes when the application starts: {@code "true"}, {@code "false"}, or
     * {@code ""} for {@code jstomp.listener.auto-startup} (default true).
     *
     * @return whether to subscribe at start-up
     */
    String autoStartup() default "";

    /**
     * How many subscriptions to the destination to make (at least 1): on a queue they are competing
     * consumers, each delivering one message at a time, so up to this many calls run at once.
     *
     * @return the number of subscriptions
     */
    String concurrency() default "1";
}
