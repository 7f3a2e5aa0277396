/**
 * JSON bodies for jstomp, mapped by Jackson 3 ({@code tools.jackson.databind}): {@link dev.jstomp.json.StompJson}
 * sends Java values as JSON and subscribes with a Java type instead of a {@code Consumer<StompMessage>}.
 *
 * <pre>{@code
 * StompJson json = StompJson.create();
 * json.send(client, "/queue/orders", order);
 * Subscription s = json.subscribe(client, "/queue/orders", Order.class, order -> ...);
 * }</pre>
 */
@NullMarked
package dev.jstomp.json;

import org.jspecify.annotations.NullMarked;
