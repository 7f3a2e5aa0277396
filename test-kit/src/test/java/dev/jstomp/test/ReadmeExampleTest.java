package dev.jstomp.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The README's "Testing your code" example is example.OrderPublisherTest, word for word, so it compiles and passes. */
class ReadmeExampleTest {

    @Test
    void theReadmeShowsTheTestThatRuns() throws Exception {
        String test = Files.readString(Path.of("src/test/java/example/OrderPublisherTest.java"));
        String example = test.substring(test.indexOf("// readme:begin\n") + "// readme:begin\n".length(),
                test.indexOf("// readme:end"));
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README.md holds example/OrderPublisherTest.java between the readme markers")
                .contains("```java\n" + example + "```\n");
    }
}
