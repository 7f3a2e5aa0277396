package dev.jstomp.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the jstomp command in-process, as {@link Main} would, with captured output. */
final class Cli {

    /** What a run produced. */
    record Result(int exitCode, String out, String err) {

        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return run(InputStream.nullInputStream(), args);
    }

    static Result runWithInput(String input, String... args) {
        return run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args);
    }

    static Result run(InputStream in, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JstompCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), in).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
