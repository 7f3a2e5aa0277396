package dev.jstomp.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.jstomp.StompException;

/**
 * The checks of {@code jstomp check}, in the order they run, and the runner that turns each into a
 * {@link CheckResult}: a check returns a detail to pass, throws {@link CheckSkipped} to skip, and
 * anything else fails it with the exception's text (the broker's words where it sent an ERROR).
 */
final class Checklist {

    /** A check: a name and a body that returns the detail of a pass. */
    record Check(String name, Function<CheckContext, String> body) {
    }

    private Checklist() {
    }

    /** Every check, in order. */
    static List<Check> all() {
        List<Check> checks = new ArrayList<>();
        checks.addAll(ConnectionChecks.opening());
        checks.addAll(MessagingChecks.checks());
        checks.addAll(TransactionChecks.checks());
        checks.addAll(AckChecks.checks());
        checks.addAll(ErrorChecks.checks());
        checks.addAll(ConnectionChecks.closing());
        return checks;
    }

    /** Runs one check, never throwing. */
    static CheckResult run(Check check, CheckContext context) {
        long start = System.nanoTime();
        CheckResult.Status status;
        String detail;
        try {
            detail = check.body().apply(context);
            status = CheckResult.Status.PASS;
        } catch (CheckSkipped e) {
            status = CheckResult.Status.SKIP;
            detail = e.getMessage();
        } catch (CliException | StompException e) {
            status = CheckResult.Status.FAIL;
            detail = String.valueOf(e.getMessage());
        } catch (RuntimeException e) {
            status = CheckResult.Status.FAIL;
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        } finally {
            context.closeSessions();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new CheckResult(check.name(), status, millis, Texts.oneLine(detail));
    }

    /** Fails the current check with this text. */
    static CliException fail(String detail) {
        return new CliException(detail);
    }
}
