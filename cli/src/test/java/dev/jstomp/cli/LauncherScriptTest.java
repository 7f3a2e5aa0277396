package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's build decision, on a copy of the script in a scratch tree with stand-ins for {@code mvn}
 * and {@code java} that only record how they were called.
 */
class LauncherScriptTest {

    @TempDir
    Path dir;

    private Path root;
    private Path jar;
    private Path calls;
    private Path bin;

    @BeforeEach
    void scratchTree() throws IOException {
        root = dir.resolve("repo");
        jar = root.resolve("cli/target/jstomp-cli.jar");
        calls = dir.resolve("calls.log");
        bin = dir.resolve("bin");
        Files.createDirectories(root.resolve("client-core/src/main/java"));
        Files.createDirectories(root.resolve("embedded-broker/src/main/java"));
        Files.createDirectories(root.resolve("cli/src/main/java"));
        Files.createDirectories(bin);
        for (String file : List.of("pom.xml", "client-core/pom.xml", "embedded-broker/pom.xml", "cli/pom.xml",
                "client-core/src/main/java/A.java", "embedded-broker/src/main/java/B.java", "cli/src/main/java/C.java")) {
            Files.writeString(root.resolve(file), "x");
            age(root.resolve(file));
        }
        Path launcher = root.resolve("jstomp");
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("jstomp"), launcher, StandardCopyOption.REPLACE_EXISTING);
        executable(launcher);
        // mvn: records its arguments and "builds" the jar; java: records its arguments.
        script("mvn", "echo \"mvn $*\" >> '" + calls + "'\n"
                + "[ -n \"${FAIL_BUILD:-}\" ] && { echo 'BUILD FAILURE: broken' >&2; exit 1; }\n"
                + "mkdir -p '" + jar.getParent() + "' && touch '" + jar + "'\n");
        script("java", "echo \"java $*\" >> '" + calls + "'\necho ran\n");
    }

    @Test
    void buildsWhenTheJarIsMissingThenRunsIt() throws Exception {
        Run r = launch("demo", "--debug");
        assertThat(r.exit).as(r.output).isZero();
        assertThat(calls()).containsExactly(
                "mvn -q -B -f " + root + "/pom.xml -pl cli -am package -DskipTests",
                "java -jar " + jar + " demo --debug");
        assertThat(r.output).isEqualTo("ran\n");
    }

    @Test
    void runsAFreshJarWithoutBuilding() throws Exception {
        fresh();
        assertThat(launch("--help").exit).isZero();
        assertThat(calls()).containsExactly("java -jar " + jar + " --help");
    }

    @Test
    void rebuildsWhenASourceOrPomIsNewerThanTheJar() throws Exception {
        for (String changed : List.of("client-core/src/main/java/A.java", "embedded-broker/src/main/java/B.java",
                "cli/src/main/java/C.java", "pom.xml", "cli/pom.xml")) {
            fresh();
            Files.setLastModifiedTime(root.resolve(changed), FileTime.from(Instant.now().plusSeconds(5)));
            Files.deleteIfExists(calls);
            launch("check");
            assertThat(calls()).as(changed).hasSize(2).first().asString().startsWith("mvn ");
            age(root.resolve(changed));
        }
    }

    @Test
    void aFailedBuildStopsWithTheBuildOutput() throws Exception {
        Run r = launch(List.of("FAIL_BUILD=1"), "demo");
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("BUILD FAILURE: broken").contains("jstomp: the build failed");
        assertThat(calls()).noneMatch(line -> line.startsWith("java"));
    }

    @Test
    void skipBuildRunsTheJarAsItIs() throws Exception {
        fresh();
        Files.setLastModifiedTime(root.resolve("cli/src/main/java/C.java"), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(launch(List.of("JSTOMP_SKIP_BUILD=1"), "demo").exit).isZero();
        assertThat(calls()).containsExactly("java -jar " + jar + " demo");
    }

    private record Run(int exit, String output) {
    }

    private Run launch(String... args) throws Exception {
        return launch(List.of(), args);
    }

    /** Runs the copied launcher from an unrelated working directory, with the stand-ins first on the PATH. */
    private Run launch(List<String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("jstomp").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("JSTOMP_SKIP_BUILD");
        for (String pair : env) {
            pb.environment().put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    private List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private void fresh() throws IOException {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
    }

    private static void age(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        executable(file);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
