package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./jstomp} on the jar this build made (JSTOMP_SKIP_BUILD=1: the build decision is
 * {@link LauncherScriptTest}'s business, and a build inside a build would race it).
 */
class LauncherIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path elsewhere;

    @Test
    void helpFromTheRepositoryRoot() throws Exception {
        Run r = run(ROOT, "./jstomp", "--help");
        assertThat(r.exit).as(r.toString()).isZero();
        assertThat(r.out).startsWith("Usage: jstomp");
    }

    @Test
    void demoFromAnotherDirectoryExitsPromptly() throws Exception {
        long start = System.nanoTime();
        Run r = run(elsewhere, ROOT.resolve("jstomp").toString(), "demo");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.exit).as(r.toString()).isZero();
        List<String> lines = r.out.lines().toList();
        assertThat(lines.get(0)).startsWith("Started embedded Artemis");
        assertThat(lines.get(lines.size() - 1)).startsWith("Demo complete:");
        assertThat(r.err).as("nothing but the transcript: no log noise").isEmpty();
        assertThat(took).as("the JVM exits promptly after the demo").isLessThan(Duration.ofSeconds(30));
        try (var files = Files.list(elsewhere)) {
            assertThat(files).as("no files left in the working directory").isEmpty();
        }
    }

    @Test
    void badInputThroughTheLauncher() throws Exception {
        Run r = run(ROOT, "./jstomp", "send", "amqp://127.0.0.1:5672", "/queue/a", "x");
        assertThat(r.exit).isEqualTo(Exit.USAGE);
        assertThat(r.err).isEqualTo("jstomp send: unsupported URL scheme 'amqp' in amqp://127.0.0.1:5672; "
                + "use ws://, wss://, tcp://host:port or stomp+ssl://host:port\n");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path directory, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().put("JSTOMP_SKIP_BUILD", "1");
        Path err = Files.createTempFile("jstomp-launcher", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("finished within 60 s").isTrue();
        String errText = Files.readString(err, StandardCharsets.UTF_8);
        Files.delete(err);
        return new Run(p.exitValue(), out, errText);
    }
}
