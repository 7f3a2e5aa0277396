package dev.jstomp.cli;

import java.time.Duration;
import java.util.Locale;

/** Small text helpers for output meant for people: one-liners, cut-offs, numbers. */
final class Texts {

    private Texts() {
    }

    /** Folds line breaks and runs of white space into single spaces, so a broker's text fits one line. */
    static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /**
     * A failure message fit for one line: folded, long hex dumps (Netty quotes whole records) shortened,
     * and cut at 400 characters.
     */
    static String errorLine(String text) {
        return cut(oneLine(text).replaceAll("([0-9a-fA-F]{32})[0-9a-fA-F]{16,}", "$1…"), 400);
    }

    /** {@link #oneLine} cut to at most {@code max} characters, with an ellipsis when cut. */
    static String cut(String text, int max) {
        String line = oneLine(text);
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** "1.2 s" or "850 ms". */
    static String duration(Duration d) {
        long millis = d.toMillis();
        return millis >= 1000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : millis + " ms";
    }

    /** A count with thousands separators: 10,000. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Columns a terminal gives the text: two for emoji and East Asian wide characters, one otherwise
     * (close enough to line up a transcript).
     */
    static int width(String text) {
        return text.codePoints().map(cp -> isWide(cp) ? 2 : 1).sum();
    }

    private static boolean isWide(int cp) {
        return cp >= 0x1F300 && cp <= 0x1FAFF // emoji
                || cp >= 0x1100 && cp <= 0x115F || cp >= 0x2E80 && cp <= 0xA4CF || cp >= 0xAC00 && cp <= 0xD7A3
                || cp >= 0xF900 && cp <= 0xFAFF || cp >= 0xFF00 && cp <= 0xFF60 || cp >= 0xFFE0 && cp <= 0xFFE6;
    }

    /** "1 message" / "3 messages". */
    static String plural(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }
}
