package dev.jstomp.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.jstomp.StompMessage;

/**
 * ACK and NACK in {@code client} and {@code client-individual} modes. Redelivery is observed the portable
 * way: the first subscriber disconnects (its DISCONNECT receipt proves the ACKs were processed), a second
 * one subscribes and sends a marker, and whatever arrives before the marker is what the broker kept.
 */
final class AckChecks {

    private AckChecks() {
    }

    static List<Checklist.Check> checks() {
        return List.of(
                new Checklist.Check("ack (client-individual)", AckChecks::ackIndividual),
                new Checklist.Check("ack (client, cumulative)", AckChecks::ackCumulative),
                new Checklist.Check("nack (client-individual)", AckChecks::nackIndividual),
                new Checklist.Check("nack (client, cumulative)", AckChecks::nackCumulative));
    }

    private static String ackIndividual(CheckContext c) {
        String destination = c.destination("ack-individual");
        Received first = consume(c, destination, "client-individual", 3);
        first.message(1).ack();
        confirm(c, first, first.message(3), true);
        expect(leftovers(c, destination, first.session(), List.of("m2")), List.of("m2"), "only m2 (not acknowledged) back");
        return "m1 and m3 acknowledged; m2 (not acknowledged) redelivered to the next subscriber";
    }

    private static String ackCumulative(CheckContext c) {
        String destination = c.destination("ack-cumulative");
        Received first = consume(c, destination, "client", 3);
        confirm(c, first, first.message(2), true);
        expect(leftovers(c, destination, first.session(), List.of("m3")), List.of("m3"),
                "only m3 back (ACK of m2 covers m1 in client mode)");
        return "ACK of m2 covered m1 too; m3 (not acknowledged) redelivered to the next subscriber";
    }

    private static String nackIndividual(CheckContext c) {
        String destination = c.destination("nack-individual");
        Received first = consume(c, destination, "client-individual", 2);
        requireNack(first.session());
        first.message(1).nack();
        confirm(c, first, first.message(2), true);
        List<String> back = leftovers(c, destination, first.session(), List.of());
        if (back.contains("m2")) {
            throw Checklist.fail("m2 was acknowledged but came back (" + String.join(", ", back) + ")");
        }
        return "NACK accepted; m1 " + fate(back, List.of("m1"));
    }

    private static String nackCumulative(CheckContext c) {
        String destination = c.destination("nack-cumulative");
        Received first = consume(c, destination, "client", 2);
        requireNack(first.session());
        confirm(c, first, first.message(2), false);
        List<String> back = leftovers(c, destination, first.session(), List.of());
        if (back.size() == 1) {
            throw Checklist.fail("NACK of m2 in client mode must cover m1 too, but only " + back.get(0) + " came back");
        }
        return "NACK of m2 covered m1 too; both " + fate(back, List.of("m1", "m2"));
    }

    /** The first subscriber's session and what it received. */
    private record Received(Session session, List<StompMessage> messages) {
        /** Message mN, counting from 1. */
        StompMessage message(int n) {
            return messages.get(n - 1);
        }
    }

    /** Subscribes in the given ack mode, sends m1..mN on the same connection and receives them. */
    private static Received consume(CheckContext c, String destination, String mode, int n) {
        c.requireQueues("redelivery");
        Session s = c.open("ack-" + mode);
        Inbox inbox = s.inbox();
        s.subscribe(destination, inbox, c.headers(Map.of("id", "first", "ack", mode)));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            s.client().send(destination, c.headers(Map.of()), "m" + i);
            expected.add("m" + i);
        }
        List<StompMessage> got = inbox.next(n, "message sent to " + destination);
        expect(got.stream().map(StompMessage::body).toList(), expected, String.join(", ", expected) + " in order");
        return new Received(s, got);
    }

    private static void requireNack(Session s) {
        if ("1.0".equals(s.version())) {
            throw new CheckSkipped("STOMP 1.0 has no NACK");
        }
    }

    /**
     * ACKs (or NACKs) a message with a receipt and waits for it: frames are processed in order, so the
     * RECEIPT means this and every earlier ACK/NACK has been taken before the subscriber goes.
     */
    private static void confirm(CheckContext c, Received first, StompMessage message, boolean ack) {
        Session s = first.session();
        String command = ack ? "ACK" : "NACK";
        String receipt = c.receipt(command.toLowerCase(java.util.Locale.ROOT) + "-" + message.body());
        var answered = s.client().watchForReceipt(receipt);
        if (ack) {
            message.ack(Map.of("receipt", receipt));
        } else {
            message.nack(Map.of("receipt", receipt));
        }
        s.await(answered, "RECEIPT for " + command + " of " + message.body());
    }

    /**
     * Ends the first subscriber (its unacknowledged messages go back), subscribes again, sends a marker and
     * returns what arrived besides it: the messages the broker kept. The broker may put them back a moment
     * after the first connection ends, so the wait goes on until the marker and every expected message are in.
     */
    private static List<String> leftovers(CheckContext c, String destination, Session first, List<String> expected) {
        first.close();
        Session s = c.open("ack-second");
        Inbox inbox = s.inbox();
        s.subscribe(destination, inbox, c.headers(Map.of("id", "second", "ack", "client-individual")));
        s.client().send(destination, c.headers(Map.of()), "marker");
        Set<String> missing = new HashSet<>(expected);
        missing.add("marker");
        List<String> back = new ArrayList<>();
        while (!missing.isEmpty()) {
            StompMessage m;
            try {
                m = inbox.next("message sent to " + destination);
            } catch (CliException timedOut) {
                missing.remove("marker");
                throw Checklist.fail("expected " + String.join(", ", expected) + " back; received "
                        + (back.isEmpty() ? "nothing" : String.join(", ", back)) + " (" + timedOut.getMessage() + ")");
            }
            m.ack();
            missing.remove(m.body());
            if (!m.body().equals("marker")) {
                back.add(m.body());
            }
        }
        return back;
    }

    private static String fate(List<String> back, List<String> nacked) {
        String verb = nacked.size() == 1 ? "was" : "were";
        if (back.isEmpty()) {
            return verb + " discarded by the broker (STOMP 1.2 lets a broker redeliver, discard or dead-letter "
                    + "a NACKed message)";
        }
        if (back.equals(nacked)) {
            return verb + " redelivered to the next subscriber";
        }
        throw Checklist.fail("after NACK of " + String.join(", ", nacked) + " the broker redelivered " + String.join(", ", back));
    }

    private static void expect(List<String> got, List<String> expected, String what) {
        if (!got.equals(expected)) {
            throw Checklist.fail("expected " + what + "; received " + (got.isEmpty() ? "nothing" : String.join(", ", got)));
        }
    }
}
