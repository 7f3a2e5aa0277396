package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.jstomp.Broker;
import dev.jstomp.it.Compatibility.Cell;
import dev.jstomp.it.Compatibility.Kind;
import dev.jstomp.it.Compatibility.Row;

/** The table's rendering and the README splice, on made-up results. */
class CompatibilityTableTest {

    @DisplayName("Area")
    static final class Fixture {
        @MatrixTest("b: everywhere")
        void everywhere(BrokerTarget target) {
        }

        @MatrixTest(value = "a: RabbitMQ only", only = {Target.RABBITMQ_TCP}, otherwise = "RabbitMQ destination")
        void rabbitOnly(BrokerTarget target) {
        }
    }

    private static final Row EVERYWHERE = new Row(Fixture.class, "b: everywhere");
    private static final Row RABBIT = new Row(Fixture.class, "a: RabbitMQ only");

    private static Map<Row, Map<Target, Cell>> results(Cell artemisTcp) {
        Map<Target, Cell> everywhere = new EnumMap<>(Target.class);
        for (Target target : Target.values()) {
            everywhere.put(target, new Cell(Kind.PASS, ""));
        }
        everywhere.put(Target.ARTEMIS_TCP, artemisTcp);
        Map<Row, Map<Target, Cell>> results = new HashMap<>();
        results.put(EVERYWHERE, everywhere);
        results.put(RABBIT, Map.of(Target.RABBITMQ_TCP, new Cell(Kind.FAIL, "boom")));
        return results;
    }

    @Test
    void rowsAreDeclaredBehavioursInOrder() {
        List<CompatibilityTable.Declared> declared = CompatibilityTable.declared(List.of(Fixture.class));
        assertThat(declared).extracting(d -> d.row().behaviour()).containsExactly("a: RabbitMQ only", "b: everywhere");
        assertThat(declared.get(0).targets()).containsExactly(Target.RABBITMQ_TCP);
    }

    @Test
    void completeOnlyWhenEveryApplicableCellRan() {
        List<CompatibilityTable.Declared> declared = CompatibilityTable.declared(List.of(Fixture.class));
        assertThat(CompatibilityTable.complete(declared, results(new Cell(Kind.PASS, "")))).isTrue();
        assertThat(CompatibilityTable.complete(declared, results(new Cell(Kind.NOT_RUN, "broker not reachable"))))
                .isFalse();
        assertThat(CompatibilityTable.complete(declared, Map.of())).isFalse();
    }

    @Test
    void rendersCellsVersionsAndAreas() {
        String table = CompatibilityTable.render(CompatibilityTable.declared(List.of(Fixture.class)),
                results(new Cell(Kind.UNSUPPORTED, "does | something else")),
                Map.of(Broker.RABBITMQ, "RabbitMQ/3.10.8", Broker.ARTEMIS, "ActiveMQ-Artemis/2.55.0 ActiveMQ Artemis"));
        assertThat(table).contains("Apache Artemis 2.55.0", "RabbitMQ 3.10.8", "ActiveMQ Classic (not run)")
                .contains("| **Area** |")
                .contains("| a: RabbitMQ only (RabbitMQ destination) | n/a | n/a | **FAIL** | n/a | n/a |")
                .contains("| b: everywhere | not supported by the broker: does \\| something else | pass | pass | pass | pass |");
    }

    @Test
    void readmeSectionIsReplacedBetweenTheMarkersOnly() {
        String readme = "intro\n" + CompatibilityTable.START + "\nold table\n" + CompatibilityTable.END + "\nrest\n";
        assertThat(CompatibilityTable.section(readme)).isEqualTo("old table");
        String updated = CompatibilityTable.splice(readme, "new table\n");
        assertThat(updated).isEqualTo("intro\n" + CompatibilityTable.START + "\nnew table\n" + CompatibilityTable.END
                + "\nrest\n");
        assertThat(CompatibilityTable.section("no markers")).isNull();
    }
}
