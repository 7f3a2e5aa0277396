package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class (junit-platform.properties orders classes by {@link Order}): writes
 * {@code target/compatibility.md} from this run's results, and fails when the README's copy differs from
 * it, which is checked only when every cell ran (brokers up). With
 * {@code -Djstomp.updateCompatibility=true} it rewrites the README's section instead.
 */
@Order(Integer.MAX_VALUE)
class CompatibilityTableIT {

    /** The classes whose {@link MatrixTest}s make the rows, in table order. */
    static final List<Class<?>> MATRIX = List.of(ConnectIT.class, MessagingIT.class, AcknowledgementIT.class,
            TransactionIT.class, HeartbeatIT.class, ConnectionLossIT.class, BrokerExtensionsIT.class, RabbitMqIT.class,
            FanoutSeedIT.class, WebSocketBatchingIT.class, InboundBackPressureIT.class, ReactiveIT.class);

    @Test
    void tableIsWrittenAndTheReadmeIsCurrent() throws IOException {
        List<CompatibilityTable.Declared> declared = CompatibilityTable.declared(MATRIX);
        String fresh = CompatibilityTable.render(declared, Compatibility.results(), Compatibility.servers());
        Path out = Path.of(System.getProperty("jstomp.compatibility.out", "target/compatibility.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, fresh, StandardCharsets.UTF_8);

        boolean complete = CompatibilityTable.complete(declared, Compatibility.results());
        Path readmePath = Path.of(System.getProperty("jstomp.readme", "../README.md"));
        String readme = Files.readString(readmePath, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("jstomp.updateCompatibility")) {
            assertThat(complete).as("a complete run (every broker reachable, no test filter) to rewrite the README")
                    .isTrue();
            Files.writeString(readmePath, CompatibilityTable.splice(readme, fresh), StandardCharsets.UTF_8);
            return;
        }
        Assumptions.assumeTrue(complete, "Not every cell ran (a broker was unreachable or tests were filtered), "
                + "so the README's table is not compared; this run's table is in " + out);
        String current = CompatibilityTable.section(readme);
        assertThat(current).as("the README's compatibility section (markers %s ... %s)",
                CompatibilityTable.START, CompatibilityTable.END).isNotNull();
        assertThat(current).as("The README's compatibility table is stale; regenerate it with `%s`. Changed lines:%n%s",
                CompatibilityTable.REGENERATE, CompatibilityTable.diff(current, fresh.strip()))
                .isEqualTo(fresh.strip());
    }
}
