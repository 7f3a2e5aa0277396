package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Java 25 leg of {@code .ci/test.sh} (run with {@code -Djstomp.java25Leg=true}) really runs on Java 25,
 * so {@link VirtualThreadsIT}, which needs 21+, ran in it rather than being skipped.
 */
@EnabledIfSystemProperty(named = "jstomp.java25Leg", matches = "true")
class JavaLegIT {

    @Test
    void theJava25LegRunsOnJava25() {
        assertThat(Runtime.version().feature()).as("the JVM of the Java 25 leg (java.home %s)",
                System.getProperty("java.home")).isGreaterThanOrEqualTo(25);
    }
}
