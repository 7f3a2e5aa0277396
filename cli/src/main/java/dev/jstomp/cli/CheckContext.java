package dev.jstomp.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the checks share for one run against one URL: how to connect, the destination prefix, names unique
 * to this run, and cleanup of every session a check opened.
 */
final class CheckContext {

    private final Connector connector;
    private final String prefix;
    private final @Nullable String forbidden;
    private final Map<String, String> headers;
    private final String runId = RunId.next();
    private final List<Session> open = new ArrayList<>();

    CheckContext(Connector connector, String prefix, @Nullable String forbidden, Map<String, String> headers) {
        this.connector = connector;
        this.prefix = prefix;
        this.forbidden = forbidden;
        this.headers = Map.copyOf(headers);
    }

    Connector connector() {
        return connector;
    }

    /** A destination no earlier run used: prefix + {@code jstomp-check.RUN.name}. */
    String destination(String name) {
        return prefix + "jstomp-check." + runId + "." + name;
    }

    /**
     * Skips a check that needs messages to wait for the next subscriber: destinations under
     * {@code /topic/} or {@code /exchange/} vanish (or never held anything) when the subscriber goes.
     */
    void requireQueues(String what) {
        if (prefix.startsWith("/topic/") || prefix.startsWith("/exchange/")) {
            throw new CheckSkipped(what + " needs destinations that keep messages for the next subscriber, "
                    + "and those under " + prefix + " do not; use --destination-prefix /queue/");
        }
    }

    /** A receipt id unique to this run. */
    String receipt(String name) {
        return "check-" + runId + "-" + name;
    }

    /** The destination the user may not send to, or {@code null} when none was given. */
    @Nullable String forbidden() {
        return forbidden;
    }

    Duration timeout() {
        return connector.timeout();
    }

    /** The user's {@code --header}s plus the check's own, which win. */
    Map<String, String> headers(Map<String, String> own) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(own);
        return all;
    }

    /** Opens a session that is closed when the current check ends. */
    Session open(Connector.Builder builder) {
        Session session = builder.watchFrames().open();
        open.add(session);
        return session;
    }

    /** Opens a session with the default settings. */
    Session open(String label) {
        return open(connector.session(label));
    }

    /** Closes what the last check opened. */
    void closeSessions() {
        open.forEach(Session::close);
        open.clear();
    }
}
