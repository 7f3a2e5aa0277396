package dev.jstomp.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * An Artemis primary/backup pair with replication, each server a JVM of its own ({@link ArtemisPairNode},
 * launched from the test class path), on free loopback ports. {@link #killPrimary()} is {@code kill -9};
 * {@link #restartPrimary()} brings it back on the same ports and journal, where it takes over from the
 * backup (failback). Every wait is bounded.
 */
final class ArtemisPair implements AutoCloseable {

    /** How long a server may take to start, sync or take over. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final Path dir;
    private final int[] stompPorts = new int[2];
    private final int[] corePorts = new int[2];
    private final Process[] processes = new Process[2];
    /** Per server: each state it printed, and when (System.nanoTime) it was first read. */
    private final List<Map<String, Long>> seen = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());

    private ArtemisPair() throws IOException {
        dir = Files.createTempDirectory("jstomp-artemis-pair-");
        for (int i = 0; i < 2; i++) {
            stompPorts[i] = freePort();
            corePorts[i] = freePort();
        }
    }

    /** Starts the primary, then the backup, and waits until the backup holds a replica. */
    public static ArtemisPair start() throws IOException {
        ArtemisPair pair = new ArtemisPair();
        long t0 = System.nanoTime();
        try {
            pair.launch(0);
            pair.await(0, "ACTIVE");
            pair.launch(1);
            pair.await(1, "BACKUP-SYNCED");
            System.out.printf("ArtemisPair: primary active and backup in sync in %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            return pair;
        } catch (RuntimeException | IOException e) {
            pair.close();
            throw e;
        }
    }

    public String primaryTcpUrl() {
        return "tcp://127.0.0.1:" + stompPorts[0];
    }

    public String backupTcpUrl() {
        return "tcp://127.0.0.1:" + stompPorts[1];
    }

    public String primaryWsUrl() {
        return "ws://127.0.0.1:" + stompPorts[0] + "/stomp";
    }

    public String backupWsUrl() {
        return "ws://127.0.0.1:" + stompPorts[1] + "/stomp";
    }

    /** SIGKILL to the primary's JVM; returns once the process is gone. */
    public void killPrimary() throws InterruptedException {
        Process primary = processes[0];
        primary.destroyForcibly();
        if (!primary.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("primary did not die within 10 s");
        }
    }

    /** Waits until the backup has become the active server. */
    public void awaitBackupActive() {
        await(1, "ACTIVE");
    }

    /** Starts the primary again on its journal; it syncs from the backup and takes over (failback). */
    public void restartPrimary() throws IOException {
        seen.get(0).clear();
        launch(0);
    }

    /** Waits until the backup has gone passive again (after a failback). */
    public void awaitBackupPassive() {
        await(1, "PASSIVE");
    }

    /** When (System.nanoTime) the primary or the backup first printed {@code state}, or 0 if it did not. */
    public long seenAt(boolean primary, String state) {
        return seen.get(primary ? 0 : 1).getOrDefault(state, 0L);
    }

    /** Waits until the restarted primary is active again. */
    public void awaitPrimaryActive() {
        await(0, "ACTIVE");
    }

    /** What a server printed so far (ACTIVE, PASSIVE, BACKUP-SYNCED, ...). */
    public Set<String> states(boolean primary) {
        return Set.copyOf(seen.get(primary ? 0 : 1).keySet());
    }

    private void launch(int i) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                // -Djstomp.artemisPair.log=info shows the servers' own log (with times) in their log files.
                "-Dorg.slf4j.simpleLogger.log.org.apache.activemq=" + System.getProperty("jstomp.artemisPair.log", "error"),
                "-Dorg.slf4j.simpleLogger.log.org.apache.activemq.audit=error", // a line per message otherwise
                "-cp", System.getProperty("java.class.path"),
                ArtemisPairNode.class.getName(), i == 0 ? "primary" : "backup",
                String.valueOf(stompPorts[i]), String.valueOf(corePorts[i]), String.valueOf(corePorts[1 - i]),
                dir.resolve(i == 0 ? "primary" : "backup").toString()));
        File log = dir.resolve((i == 0 ? "primary" : "backup") + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
        processes[i] = process;
        Map<String, Long> lines = seen.get(i);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.putIfAbsent(line.trim(), System.nanoTime());
                }
            } catch (IOException e) {
                // the process died: nothing more to read
            }
        }, "artemis-pair-" + i + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    private void await(int i, String state) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .failFast(() -> !processes[i].isAlive())
                .alias((i == 0 ? "primary" : "backup") + " reports " + state + " (log: " + dir + ")")
                .until(() -> seen.get(i).containsKey(state));
    }

    @Override
    public void close() {
        if (System.getProperty("jstomp.artemisPair.log") != null) { // asked for: keep the servers' logs
            for (String name : List.of("primary", "backup")) {
                try {
                    Path log = dir.resolve(name + ".log");
                    if (Files.exists(log)) {
                        Files.createDirectories(Path.of("target"));
                        Files.copy(log, Path.of("target", dir.getFileName() + "-" + name + ".log"));
                    }
                } catch (IOException e) {
                    System.out.println("ArtemisPair: could not keep the " + name + "'s log: " + e);
                }
            }
        }
        for (Process process : processes) {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temp dir
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
