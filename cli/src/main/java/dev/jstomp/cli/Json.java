package dev.jstomp.cli;

import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON for a command line without a JSON library: string quoting for the reports the CLI
 * writes, and a validating pretty-printer for message bodies ({@code subscribe --json}).
 */
final class Json {

    private static final int MAX_DEPTH = 256;

    private Json() {
    }

    /** A JSON string literal for any Java string (control characters and lone surrogates escaped). */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1));
                    if (pairedHigh) {
                        out.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Pretty-prints a JSON text with two-space indentation.
     *
     * @param text the body
     * @return the indented text, or {@code null} when the text is not valid JSON
     */
    static @Nullable String pretty(String text) {
        Printer printer = new Printer(text);
        try {
            printer.skipSpace();
            printer.value(0);
            printer.skipSpace();
            if (printer.pos != text.length()) {
                return null;
            }
            return printer.out.toString();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** A recursive-descent reader that writes what it reads, re-indented. */
    private static final class Printer {

        private final String in;
        private final StringBuilder out = new StringBuilder();
        private int pos;

        Printer(String in) {
            this.in = in;
        }

        void value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("too deep");
            }
            char c = in.charAt(pos);
            switch (c) {
                case '{' -> container(depth, '}', true);
                case '[' -> container(depth, ']', false);
                case '"' -> string();
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            }
        }

        private void container(int depth, char close, boolean object) {
            out.append(in.charAt(pos++));
            skipSpace();
            if (in.charAt(pos) == close) {
                out.append(in.charAt(pos++));
                return;
            }
            while (true) {
                newline(depth + 1);
                if (object) {
                    if (in.charAt(pos) != '"') {
                        throw new IllegalArgumentException("key");
                    }
                    string();
                    skipSpace();
                    expect(':');
                    out.append(": ");
                    skipSpace();
                }
                value(depth + 1);
                skipSpace();
                char next = in.charAt(pos++);
                if (next == close) {
                    newline(depth);
                    out.append(close);
                    return;
                }
                if (next != ',') {
                    throw new IllegalArgumentException("separator");
                }
                out.append(',');
                skipSpace();
            }
        }

        private void string() {
            int start = pos++;
            while (true) {
                char c = in.charAt(pos++);
                if (c == '"') {
                    break;
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in string");
                }
                if (c == '\\') {
                    char e = in.charAt(pos++);
                    if (e == 'u') {
                        for (int i = 0; i < 4; i++) {
                            if (Character.digit(in.charAt(pos++), 16) < 0) {
                                throw new IllegalArgumentException("bad \\u escape");
                            }
                        }
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        throw new IllegalArgumentException("bad escape");
                    }
                }
            }
            out.append(in, start, pos);
        }

        private void literal(String word) {
            if (!in.startsWith(word, pos)) {
                throw new IllegalArgumentException("literal");
            }
            out.append(word);
            pos += word.length();
        }

        private void number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else {
                digits();
            }
            if (peek() == '.') {
                pos++;
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                digits();
            }
            out.append(in, start, pos);
        }

        private void digits() {
            int start = pos;
            while (pos < in.length() && Character.isDigit(in.charAt(pos)) && in.charAt(pos) < 128) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("digits");
            }
        }

        private char peek() {
            return pos < in.length() ? in.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (in.charAt(pos++) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
        }

        void skipSpace() {
            while (pos < in.length() && " \t\r\n".indexOf(in.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private void newline(int depth) {
            out.append('\n');
            out.append("  ".repeat(depth));
        }
    }
}
