package dev.jstomp.cli;

import java.io.PrintWriter;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The bench's progress bar (me.tongfei:progressbar): redrawn in place on a terminal, one line a second
 * where standard error is a file or a pipe (CI logs, tests).
 */
final class BenchProgress {

    private BenchProgress() {
    }

    static ProgressBar bar(long max, PrintWriter err) {
        boolean terminal = System.console() != null;
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName("bench")
                .setInitialMax(max)
                .setUnit(" msgs", 1)
                .showSpeed()
                .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(terminal ? 100 : 1_000)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(System.err) : new Lines(err));
        return builder.build();
    }

    /** Writes each refresh as a line of its own, for output that is not a terminal. */
    private static final class Lines implements ProgressBarConsumer {

        private final PrintWriter err;
        private String last = "";

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public int getMaxRenderedLength() {
            return 100;
        }

        @Override
        public void accept(String rendered) {
            String line = rendered.strip();
            if (!line.equals(last)) {
                last = line;
                err.println(line);
                err.flush();
            }
        }

        @Override
        public void close() {
            err.flush();
        }
    }
}
