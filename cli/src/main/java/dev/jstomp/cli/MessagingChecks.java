package dev.jstomp.cli;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.jstomp.StompMessage;
import dev.jstomp.Subscription;

/** Checks of messages on the wire: round trip, receipts, header escaping, bodies, unsubscribe. */
final class MessagingChecks {

    static final String ESCAPED_VALUE = "a:b\nc\\d";
    static final String UTF8_TEXT = "Grüße, 世界! Ünïcødé ✓ 🚀🎉";
    private static final int ONE_MIB = 1 << 20;

    private MessagingChecks() {
    }

    static List<Checklist.Check> checks() {
        return List.of(
                new Checklist.Check("send/subscribe round trip", MessagingChecks::roundTrip),
                new Checklist.Check("receipts", MessagingChecks::receipts),
                new Checklist.Check("header escaping", MessagingChecks::escaping),
                new Checklist.Check("UTF-8 body", MessagingChecks::utf8),
                new Checklist.Check("binary body with NUL", MessagingChecks::binary),
                new Checklist.Check("1 MiB body", MessagingChecks::oneMebibyte),
                new Checklist.Check("unsubscribe", MessagingChecks::unsubscribe));
    }

    /** Subscribes, sends one message on the same connection (so the subscription exists first), receives it. */
    static StompMessage echo(CheckContext c, String name, Map<String, String> headers, byte[] body) {
        return echo(c, c.open(name), name, headers, body);
    }

    /** {@link #echo(CheckContext, String, Map, byte[])} on a session already open. */
    static StompMessage echo(CheckContext c, Session s, String name, Map<String, String> headers, byte[] body) {
        Inbox inbox = s.inbox();
        String destination = c.destination(name);
        s.subscribe(destination, inbox, c.headers(Map.of("id", name)));
        s.client().send(destination, c.headers(headers), body);
        return inbox.next("message sent to " + destination);
    }

    private static String roundTrip(CheckContext c) {
        long start = System.nanoTime();
        String body = "hello from jstomp check";
        StompMessage m = echo(c, "round-trip", Map.of("x-jstomp-check", "round-trip"), bytes(body));
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!body.equals(m.body())) {
            throw Checklist.fail("sent '" + body + "', received '" + Texts.cut(m.body(), 80) + "'");
        }
        if (!"round-trip".equals(m.header("x-jstomp-check"))) {
            throw Checklist.fail("the custom header x-jstomp-check did not come back (headers: " + m.headers().keySet() + ")");
        }
        return "sent and received in " + millis + " ms (connect included); destination header "
                + m.header("destination") + ", custom header kept";
    }

    private static String receipts(CheckContext c) {
        Session s = c.open("receipts");
        String destination = c.destination("receipts");
        String forSubscribe = c.receipt("subscribe");
        String forSend = c.receipt("send");
        var subscribed = s.client().watchForReceipt(forSubscribe);
        var sent = s.client().watchForReceipt(forSend);
        s.subscribe(destination, s.inbox(), c.headers(Map.of("id", "receipts", "receipt", forSubscribe)));
        s.client().send(destination, c.headers(Map.of("receipt", forSend)), "with a receipt");
        String first = s.await(subscribed, "RECEIPT for SUBSCRIBE (receipt " + forSubscribe + ")").header("receipt-id");
        String second = s.await(sent, "RECEIPT for SEND (receipt " + forSend + ")").header("receipt-id");
        return "RECEIPT for SUBSCRIBE (receipt-id " + first + ") and for SEND (" + second + ")";
    }

    private static String escaping(CheckContext c) {
        Session s = c.open("escaping");
        if ("1.0".equals(s.version())) {
            throw new CheckSkipped("STOMP 1.0 has no header escaping");
        }
        StompMessage m = echo(c, s, "escaping", Map.of("x-jstomp-escaped", ESCAPED_VALUE), bytes("escaping"));
        String got = m.header("x-jstomp-escaped");
        if (!ESCAPED_VALUE.equals(got)) {
            throw Checklist.fail("sent " + Json.quote(ESCAPED_VALUE) + ", received "
                    + (got == null ? "no such header" : Json.quote(got)));
        }
        return "header value " + Json.quote(ESCAPED_VALUE) + " (colon, newline, backslash) came back intact";
    }

    private static String utf8(CheckContext c) {
        StompMessage m = echo(c, "utf-8", Map.of("content-type", "text/plain;charset=utf-8"), bytes(UTF8_TEXT));
        if (!UTF8_TEXT.equals(m.body())) {
            throw Checklist.fail("sent " + Json.quote(UTF8_TEXT) + ", received " + Json.quote(Texts.cut(m.body(), 80)));
        }
        return Json.quote(UTF8_TEXT) + " (" + bytes(UTF8_TEXT).length + " bytes) came back byte for byte";
    }

    private static String binary(CheckContext c) {
        byte[] body = new byte[258];
        for (int i = 0; i < 256; i++) {
            body[i + 1] = (byte) i; // NUL first, NUL last, and every byte value between
        }
        Session s = c.open("binary");
        StompMessage m;
        try {
            m = echo(c, s, "binary", Map.of("content-type", "application/octet-stream"), body);
        } catch (CliException e) {
            if (s.kind() == BrokerUrl.Kind.WEBSOCKET && s.failure() != null) {
                throw Checklist.fail(e.getMessage() + " (a broker that puts bodies in text WebSocket frames breaks the "
                        + "connection with bytes that are not UTF-8: RabbitMQ needs web_stomp.ws_frame = binary)");
            }
            throw e;
        }
        byte[] got = m.binaryBody();
        if (!Arrays.equals(body, got)) {
            throw Checklist.fail("sent " + body.length + " bytes, received " + got.length + (got.length == body.length
                    ? " that differ at offset " + Arrays.mismatch(body, got) : ""));
        }
        return body.length + " bytes, 3 of them NUL, every byte value, byte-exact";
    }

    private static String oneMebibyte(CheckContext c) {
        byte[] body = new byte[ONE_MIB];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        long start = System.nanoTime();
        StompMessage m = echo(c, "one-mib", Map.of("content-type", "text/plain"), body);
        long millis = (System.nanoTime() - start) / 1_000_000;
        byte[] got = m.binaryBody();
        if (!Arrays.equals(body, got)) {
            throw Checklist.fail("sent " + Texts.count(body.length) + " bytes, received " + Texts.count(got.length)
                    + (got.length == body.length ? " that differ at offset " + Arrays.mismatch(body, got) : ""));
        }
        return Texts.count(body.length) + " bytes there and back in " + millis + " ms";
    }

    private static String unsubscribe(CheckContext c) {
        Session s = c.open("unsubscribe");
        String destination = c.destination("unsubscribe");
        Inbox first = s.inbox();
        // The debug hook runs on its own thread: wait until it has seen "before", so only later frames count.
        var before = s.frames().watch(forSubscription("unsub-a"));
        Subscription a = s.subscribe(destination, first, c.headers(Map.of("id", "unsub-a")));
        s.client().send(destination, c.headers(Map.of()), "before");
        first.next("message for the first subscription");
        s.await(before, "MESSAGE for the first subscription in the debug hook");
        var stray = s.frames().watch(forSubscription("unsub-a"));
        a.unsubscribe();
        // Frames are handled in order: after UNSUBSCRIBE and a new SUBSCRIBE, "after" can only go to the new one.
        Inbox second = s.inbox();
        var toSecond = s.frames().watch(forSubscription("unsub-b"));
        s.subscribe(destination, second, c.headers(Map.of("id", "unsub-b")));
        s.client().send(destination, c.headers(Map.of()), "after");
        StompMessage after = second.next("message for the second subscription");
        s.await(toSecond, "MESSAGE for the second subscription in the debug hook");
        if (stray.isDone()) {
            throw Checklist.fail("the broker sent a MESSAGE to subscription unsub-a after UNSUBSCRIBE");
        }
        return "after UNSUBSCRIBE the broker sent nothing more to it ('" + after.body() + "' went to a new subscription)";
    }

    private static java.util.function.Predicate<String> forSubscription(String id) {
        return frame -> frame.startsWith("<<< MESSAGE\n") && id.equals(FrameLog.header(frame, "subscription"));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
