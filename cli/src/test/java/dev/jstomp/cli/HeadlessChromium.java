package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Debian's {@code chromium}, headless, for checking the pages {@code jstomp perf --report} writes. CI
 * installs it (.ci/brokers.sh install); under CI=true (or -Djstomp.requireBrokers=true) a missing one fails.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** The chromium binary; null (the check is skipped) when missing outside CI; fails the test under CI. */
    static @Nullable String find() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        if (Boolean.getBoolean("jstomp.requireBrokers") || "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("chromium is not installed (apt-get install -y chromium; .ci/brokers.sh install does it)");
        }
        System.err.println("PerfIT: chromium not installed, the HTML render check is skipped");
        return null;
    }

    /** The DOM after the page's script ran. */
    static String dumpDom(String chromium, Path profile, Path page) throws Exception {
        return run(chromium, profile, List.of("--dump-dom", page.toUri().toString()));
    }

    static void screenshot(String chromium, Path profile, Path page, Path png) throws Exception {
        run(chromium, profile, List.of("--screenshot=" + png, "--window-size=1100,1400", page.toUri().toString()));
    }

    private static String run(String chromium, Path profile, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        command.addAll(args);
        Path stdout = Files.createTempFile(profile, "out", ".txt");
        Path stderr = Files.createTempFile(profile, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 60 s: " + read(stderr));
        }
        assertThat(p.exitValue()).as("chromium: " + read(stderr)).isZero();
        return read(stdout);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
