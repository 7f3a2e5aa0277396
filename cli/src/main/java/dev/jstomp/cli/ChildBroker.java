package dev.jstomp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.jstomp.broker.EmbeddedArtemis;
import dev.jstomp.broker.EmbeddedArtemisMain;

/**
 * The embedded Artemis in a child JVM ({@link EmbeddedArtemisMain}, started with this JVM's java binary and
 * class path), so that {@code jstomp perf} measures the broker and not a broker sharing the load generator's
 * heap, JIT and cores' scheduling. The child is stopped by {@link #close()}, by a shutdown hook (Ctrl-C),
 * and, should this JVM die, by the end of its standard input.
 */
final class ChildBroker implements AutoCloseable {

    private static final long READY_SECONDS = 60;

    private final Process process;
    private final Thread stopOnExit;
    private final Path log;
    private final int port;
    private final String version;

    private ChildBroker(Process process, Thread stopOnExit, Path log, int port, String version) {
        this.process = process;
        this.stopOnExit = stopOnExit;
        this.log = log;
        this.port = port;
        this.version = version;
    }

    /**
     * Starts the child and waits until its broker listens.
     *
     * @param heap the child's {@code -Xmx}, e.g. {@code 1g}
     * @throws CliException when it does not start; the message holds the end of its output
     */
    static ChildBroker start(String heap) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path log;
        try {
            log = Files.createTempFile("jstomp-broker-", ".log");
        } catch (IOException e) {
            throw new CliException("could not create a log file for the embedded broker: " + e.getMessage());
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx" + heap, "-cp",
                System.getProperty("java.class.path"), EmbeddedArtemisMain.class.getName()))
                .redirectError(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliException("could not start a JVM for the embedded broker (" + java + "): " + e.getMessage());
        }
        Thread hook = new Thread(() -> stop(process), "jstomp-child-broker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(process));
        try {
            String line = ready.get(READY_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new CliException("the embedded broker's JVM exited before it was ready: " + tail(log));
            }
            return new ChildBroker(process, hook, log, Integer.parseInt(field(line, "port")), field(line, "version"));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            stop(process);
            removeHook(hook);
            if (e instanceof CliException cli) {
                throw cli;
            }
            throw new CliException("the embedded broker's JVM was not ready within " + READY_SECONDS + " s: " + tail(log));
        } catch (InterruptedException e) {
            stop(process);
            removeHook(hook);
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while starting the embedded broker");
        }
    }

    /** The ready line, or null when the child's output ended first. */
    private static String readyLine(Process process) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith(EmbeddedArtemisMain.READY)) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalStateException("no " + name + " in " + line);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String text = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            return text.isBlank() ? "no output (see " + log + ")" : Texts.cut(Texts.oneLine(text), 400);
        } catch (IOException e) {
            return "its log " + log + " is unreadable";
        }
    }

    /** Closes the lifeline, waits a little for a clean stop, then kills. */
    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    String tcpUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + port + "/stomp";
    }

    String login() {
        return EmbeddedArtemis.USER;
    }

    String passcode() {
        return EmbeddedArtemis.PASSWORD;
    }

    /** Artemis's version, e.g. {@code 2.55.0}. */
    String version() {
        return version;
    }

    /** The child's process id. */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        stop(process);
        removeHook(stopOnExit);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
