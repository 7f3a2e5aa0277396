package dev.jstomp.cli;

import java.util.List;
import java.util.Map;

import dev.jstomp.StompError;
import dev.jstomp.StompErrorFrameException;
import dev.jstomp.StompFrame;

/** Checks that the broker says no properly: ERROR for a forbidden destination and for bad credentials. */
final class ErrorChecks {

    private ErrorChecks() {
    }

    static List<Checklist.Check> checks() {
        return List.of(
                new Checklist.Check("ERROR on forbidden destination", ErrorChecks::forbidden),
                new Checklist.Check("ERROR on bad credentials", ErrorChecks::badCredentials));
    }

    private static String forbidden(CheckContext c) {
        String destination = c.forbidden();
        if (destination == null) {
            throw new CheckSkipped("give --forbidden-destination (one the login may not send to) to run it");
        }
        Session s = c.open("forbidden");
        Object outcome = s.settle(s.client().sendWithReceipt(destination, c.headers(Map.of()), "must not be accepted"),
                "ERROR or RECEIPT for the SEND to " + destination);
        if (outcome instanceof StompFrame) {
            throw Checklist.fail("the broker accepted the SEND to " + destination + " (RECEIPT, no ERROR)");
        }
        if (outcome instanceof StompErrorFrameException refused) {
            return "SEND to " + destination + " answered with " + errorText(refused.frame());
        }
        // The connection ended first: an ERROR without the receipt-id also counts, if there was one.
        StompError error = s.await(s.failures(), "ERROR frame");
        if (error.frame() == null) {
            throw Checklist.fail("no ERROR frame: " + ((Throwable) outcome).getMessage());
        }
        return "SEND to " + destination + " answered with " + errorText(error.frame());
    }

    private static String badCredentials(CheckContext c) {
        if (c.connector().login() == null) {
            throw new CheckSkipped("no --login given, so there is no passcode to get wrong");
        }
        String wrong = "wrong-" + c.receipt("passcode");
        try {
            c.open(c.connector().session("bad-credentials").connectHeader("passcode", wrong));
        } catch (ConnectFailure refused) {
            if (refused.error().frame() == null) {
                throw Checklist.fail("refused without an ERROR frame: " + refused.getMessage());
            }
            return "CONNECT with a wrong passcode answered with " + errorText(refused.error().frame());
        }
        throw Checklist.fail("the broker accepted a wrong passcode (CONNECTED)");
    }

    private static String errorText(StompFrame frame) {
        String message = frame.header("message");
        return "ERROR: " + Texts.cut(message == null ? frame.body() : message, 110);
    }
}
