package dev.jstomp.it;

import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A client's {@code debug} output, for what the public API does not show: receipts (there is no receipt
 * API yet) and heart-beats. Use as {@code client.debug(log)}.
 */
final class DebugLog implements Consumer<String> {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void accept(String line) {
        lines.add(line);
    }

    long count(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    boolean receiptSeen(String receiptId) {
        Pattern header = Pattern.compile("(?m)^receipt-id:" + Pattern.quote(receiptId) + "$");
        return lines.stream().anyMatch(l -> l.startsWith("<<< RECEIPT") && header.matcher(l).find());
    }

    /** Waits for the broker's RECEIPT of the frame sent with {@code receipt: receiptId}. */
    void awaitReceipt(String receiptId) {
        await("RECEIPT " + receiptId).atMost(Timeouts.WAIT).until(() -> receiptSeen(receiptId));
    }

    /** The index of the first line starting with {@code prefix} and containing {@code text}, or -1. */
    int indexOf(String prefix, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
