package dev.jstomp.json;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.jstomp.StompClient;
import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;

/**
 * A stand-in {@link StompClient} that records the calls client-json makes ({@code send} with a byte body,
 * {@code subscribe} with headers) and fails on anything else. A dynamic proxy keeps it to the two methods
 * used, whatever else the interface grows.
 */
final class RecordingClient {

    record Sent(String destination, Map<String, String> headers, byte[] body) {
    }

    record Subscribed(String destination, Consumer<StompMessage> callback, Map<String, String> headers) {

        /** Delivers a message as the client would: to the callback the subscription registered. */
        void deliver(StompMessage message) {
            callback.accept(message);
        }
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Subscribed> subscribed = new ArrayList<>();
    final StompClient client;

    RecordingClient() {
        client = (StompClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {StompClient.class},
                (proxy, method, args) -> {
                    switch (method.getName() + "/" + (args == null ? 0 : args.length)) {
                        case "send/3" -> {
                            sent.add(new Sent((String) args[0], asMap(args[1]), (byte[]) args[2]));
                            return null;
                        }
                        case "subscribe/3" -> {
                            @SuppressWarnings("unchecked")
                            Consumer<StompMessage> callback = (Consumer<StompMessage>) args[1];
                            Subscribed s = new Subscribed((String) args[0], callback, asMap(args[2]));
                            subscribed.add(s);
                            return subscription(s);
                        }
                        case "toString/0" -> {
                            return "RecordingClient";
                        }
                        default -> throw new UnsupportedOperationException(method.toString());
                    }
                });
    }

    /** The one subscription made so far. */
    Subscribed only() {
        if (subscribed.size() != 1) {
            throw new AssertionError("expected one subscription, got " + subscribed);
        }
        return subscribed.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> asMap(Object o) {
        return (Map<String, String>) o;
    }

    private static Subscription subscription(Subscribed s) {
        return new Subscription() {
            @Override
            public String id() {
                return s.headers().getOrDefault("id", "sub-1");
            }

            @Override
            public String destination() {
                return s.destination();
            }

            @Override
            public void unsubscribe() {
            }

            @Override
            public void unsubscribe(Map<String, String> headers) {
            }
        };
    }
}
