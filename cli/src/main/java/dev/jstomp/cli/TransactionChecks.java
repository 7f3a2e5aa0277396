package dev.jstomp.cli;

import java.util.List;
import java.util.Map;

import dev.jstomp.StompMessage;
import dev.jstomp.Transaction;

/**
 * Checks of BEGIN/COMMIT/ABORT. Ordering proves what waiting could only suggest: a plain "marker" sent
 * after the transactional messages must overtake them until COMMIT, and after ABORT it must be the next
 * thing delivered.
 */
final class TransactionChecks {

    private TransactionChecks() {
    }

    static List<Checklist.Check> checks() {
        return List.of(
                new Checklist.Check("transaction commit", TransactionChecks::commit),
                new Checklist.Check("transaction abort", TransactionChecks::abort));
    }

    private static String commit(CheckContext c) {
        Session s = c.open("tx-commit");
        Inbox inbox = s.inbox();
        String destination = c.destination("tx-commit");
        s.subscribe(destination, inbox, c.headers(Map.of("id", "tx-commit")));
        Transaction tx = s.client().begin();
        s.client().send(destination, c.headers(Map.of("transaction", tx.id())), "tx-1");
        s.client().send(destination, c.headers(Map.of("transaction", tx.id())), "tx-2");
        s.client().send(destination, c.headers(Map.of()), "marker");
        tx.commit();
        List<String> bodies = inbox.next(3, "message after COMMIT").stream().map(StompMessage::body).toList();
        if (!bodies.get(0).equals("marker")) {
            throw Checklist.fail("'" + bodies.get(0) + "', sent in the transaction, was delivered before COMMIT");
        }
        if (!bodies.equals(List.of("marker", "tx-1", "tx-2"))) {
            throw Checklist.fail("expected marker, tx-1, tx-2; received " + String.join(", ", bodies));
        }
        return "2 messages held until COMMIT (a later plain message overtook them), then delivered in order";
    }

    private static String abort(CheckContext c) {
        Session s = c.open("tx-abort");
        Inbox inbox = s.inbox();
        String destination = c.destination("tx-abort");
        s.subscribe(destination, inbox, c.headers(Map.of("id", "tx-abort")));
        Transaction tx = s.client().begin();
        s.client().send(destination, c.headers(Map.of("transaction", tx.id())), "aborted");
        tx.abort();
        s.client().send(destination, c.headers(Map.of()), "marker");
        String first = inbox.next("message after ABORT").body();
        if (!first.equals("marker")) {
            throw Checklist.fail("received '" + first + "' after ABORT; expected only the marker sent after it");
        }
        return "the aborted message was never delivered (the next message was the one sent after ABORT)";
    }
}
