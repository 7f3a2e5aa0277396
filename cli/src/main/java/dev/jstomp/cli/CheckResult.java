package dev.jstomp.cli;

/**
 * One row of {@code jstomp check}: the check, its outcome, how long it took and, on failure, what the
 * broker answered.
 *
 * @param name the check, e.g. "receipts"
 * @param status PASS, FAIL or SKIP
 * @param millis wall time of the check
 * @param detail what was seen (PASS), what went wrong (FAIL) or why it did not apply (SKIP)
 */
record CheckResult(String name, Status status, long millis, String detail) {

    /** The outcome of a check. */
    enum Status { PASS, FAIL, SKIP }
}
