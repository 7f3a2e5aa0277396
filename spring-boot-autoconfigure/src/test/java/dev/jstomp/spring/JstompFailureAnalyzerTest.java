package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextException;

import dev.jstomp.StompConnectionException;
import dev.jstomp.spring.internal.JstompFailureAnalyzer;

/** The start-up report for a refused connection (the credentials case runs against RabbitMQ in RabbitMqStarterIT). */
class JstompFailureAnalyzerTest {

    @Test
    void aRefusedConnectionSaysWhereAndWhatToCheck() {
        StompConnectionException refused = new StompConnectionException(
                "Cannot connect to 127.0.0.1:1 (TCP): Connection refused", null);
        FailureAnalysis analysis = new JstompFailureAnalyzer().analyze(
                new ApplicationContextException("Failed to start bean 'jstompLifecycle'", refused));

        assertThat(analysis.getDescription()).contains("jstomp could not connect", "127.0.0.1:1", "refused");
        assertThat(analysis.getAction()).contains("jstomp.url", "jstomp.fail-fast=false");
    }

    @Test
    void aBrokerThatIsDownAtStartUpFailsTheStartWithThatReport() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "tcp://127.0.0.1:" + port;
        new org.springframework.boot.test.context.runner.ApplicationContextRunner()
                .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(JstompAutoConfiguration.class))
                .withPropertyValues("jstomp.url=" + url, "jstomp.passcode=pw-never-shown")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new JstompFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("127.0.0.1:" + port).doesNotContain("pw-never-shown");
                    assertThat(analysis.getAction()).contains("Nothing listens there", "jstomp.fail-fast=false");
                });
    }

    @Test
    void otherFailuresAreLeftToOtherAnalyzers() {
        assertThat(new JstompFailureAnalyzer().analyze(new IllegalStateException(Map.of().toString()))).isNull();
    }
}
