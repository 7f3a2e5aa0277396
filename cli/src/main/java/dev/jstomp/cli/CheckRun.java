package dev.jstomp.cli;

import java.util.List;

/**
 * The results of the checklist against one URL.
 *
 * @param url the broker URL, without credentials
 * @param transport "TCP" or "WebSocket"
 * @param login the login used, or {@code null}
 * @param results one per check, in order
 * @param millis wall time of the whole run
 */
record CheckRun(String url, String transport, String login, List<CheckResult> results, long millis) {

    long count(CheckResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    boolean passed() {
        return count(CheckResult.Status.FAIL) == 0;
    }
}
