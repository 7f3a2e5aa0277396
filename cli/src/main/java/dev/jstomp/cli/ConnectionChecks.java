package dev.jstomp.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Checks of the session itself: version negotiation, heart-beats, and the DISCONNECT receipt. */
final class ConnectionChecks {

    private static final long BEAT_MILLIS = 1_000;
    private static final int BEATS_TO_SEE = 3;

    private ConnectionChecks() {
    }

    /** The checks that open the list. */
    static List<Checklist.Check> opening() {
        return List.of(
                new Checklist.Check("protocol versions", ConnectionChecks::versions),
                new Checklist.Check("heart-beat negotiation", ConnectionChecks::heartbeatTerms),
                new Checklist.Check("heart-beats flowing", ConnectionChecks::heartbeatsFlow));
    }

    /** The check that closes the list. */
    static List<Checklist.Check> closing() {
        return List.of(new Checklist.Check("DISCONNECT receipt", ConnectionChecks::disconnectReceipt));
    }

    private static String versions(CheckContext c) {
        Session all = c.open("versions");
        String connect = all.await(all.frames().seen(">>> CONNECT"), "CONNECT frame in the debug hook");
        String offered = FrameLog.header(connect, "accept-version");
        String negotiated = all.version();
        List<String> alone = new ArrayList<>();
        String highest = null;
        for (String version : List.of("1.0", "1.1", "1.2")) {
            String got;
            try {
                got = c.open(c.connector().session("version " + version).connectHeader("accept-version", version)).version();
            } catch (ConnectFailure refused) {
                alone.add(version + " refused");
                continue;
            }
            if (!got.equals(version)) {
                throw Checklist.fail("offered only " + version + ", the broker answered version " + got);
            }
            alone.add(version + " ok");
            highest = version;
        }
        if (highest == null) {
            throw Checklist.fail("the broker refused each version offered alone (" + String.join(", ", alone) + ")");
        }
        if (!negotiated.equals(highest)) {
            throw Checklist.fail("offered " + offered + ", the broker chose " + negotiated + " though it accepts "
                    + highest + " on its own (" + String.join(", ", alone) + ")");
        }
        return "offered " + offered + ", negotiated " + negotiated + " (" + all.server()
                + "); each alone: " + String.join(", ", alone);
    }

    private static String heartbeatTerms(CheckContext c) {
        Session s = c.open(c.connector().session("heart-beat").heartbeat(BEAT_MILLIS, BEAT_MILLIS));
        Terms terms = terms(s);
        if (terms == null) {
            return "the broker declined heart-beats (no heart-beat header, which means 0,0)";
        }
        return "client " + BEAT_MILLIS + "," + BEAT_MILLIS + ", broker " + terms.header + ": client beats "
                + every(terms.clientEvery) + ", broker beats " + every(terms.brokerEvery);
    }

    private static String heartbeatsFlow(CheckContext c) {
        Session s = c.open(c.connector().session("heart-beats").heartbeat(BEAT_MILLIS, BEAT_MILLIS));
        Terms terms = terms(s);
        if (terms == null || terms.brokerEvery == 0) {
            throw new CheckSkipped("the broker sends no heart-beats (heart-beat: "
                    + (terms == null ? "none" : terms.header) + ")");
        }
        long start = System.nanoTime();
        var beats = s.frames().watchCount("<<< PONG", BEATS_TO_SEE);
        // Twice the promised interval per beat, as stomp.js tolerates, plus the usual timeout.
        s.await(beats, BEATS_TO_SEE + " heart-beats",
                Duration.ofMillis(2 * BEATS_TO_SEE * terms.brokerEvery).plus(c.timeout()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int sent = s.frames().count(">>> PING");
        if (s.failure() != null) {
            throw s.failed(s.failure());
        }
        if (terms.clientEvery > 0 && sent == 0) {
            throw Checklist.fail("the broker beat, but this client sent no beats in " + Texts.duration(took));
        }
        return BEATS_TO_SEE + " beats from the broker in " + Texts.duration(took) + ", " + sent
                + " sent; the connection stayed up";
    }

    private static String disconnectReceipt(CheckContext c) {
        Session s = c.open("disconnect");
        if (!s.disconnect()) {
            throw Checklist.fail("no RECEIPT for DISCONNECT (" + FrameLog.header(s.frames().last(">>> DISCONNECT"),
                    "receipt") + ") before the connection closed");
        }
        return "DISCONNECT answered with RECEIPT " + FrameLog.header(s.frames().last("<<< RECEIPT"), "receipt-id");
    }

    private static String every(long millis) {
        return millis == 0 ? "never" : "every " + millis + " ms";
    }

    private record Terms(String header, long clientEvery, long brokerEvery) {
    }

    /** The negotiated intervals (STOMP 1.2 rules), or {@code null} when the broker sent no heart-beat header. */
    private static @Nullable Terms terms(Session s) {
        if ("1.0".equals(s.version())) {
            throw new CheckSkipped("STOMP 1.0 has no heart-beats");
        }
        String header = s.connected().header("heart-beat");
        if (header == null) {
            return null;
        }
        String[] parts = header.split(",");
        long sx;
        long sy;
        try {
            sx = Long.parseLong(parts[0].strip());
            sy = Long.parseLong(parts[1].strip());
        } catch (RuntimeException e) {
            throw Checklist.fail("malformed heart-beat header in CONNECTED: '" + header + "'");
        }
        long clientEvery = sy == 0 ? 0 : Math.max(BEAT_MILLIS, sy);
        long brokerEvery = sx == 0 ? 0 : Math.max(BEAT_MILLIS, sx);
        return new Terms(header, clientEvery, brokerEvery);
    }
}
