package dev.jstomp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.jstomp.ConnectionState;
import dev.jstomp.StompClient;
import dev.jstomp.broker.EmbeddedArtemis;

/** jstomp.debug=true: frames go to the logger dev.jstomp.frames at DEBUG, the passcode as ***. */
class DebugFramesIT {

    static final EmbeddedArtemis BROKER = new EmbeddedArtemis().start();

    @AfterAll
    static void stop() {
        BROKER.close();
    }

    @Test
    void framesAreLoggedWithoutThePasscode() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // slf4j-simple writes here
        try {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JstompAutoConfiguration.class))
                    .withPropertyValues("jstomp.url=tcp://" + BROKER.tcpHost() + ":" + BROKER.port(),
                            "jstomp.login=" + BROKER.user(), "jstomp.passcode=" + BROKER.password(), "jstomp.debug=true")
                    .run(context -> assertThat(context.getBean(StompClient.class).state())
                            .isEqualTo(ConnectionState.CONNECTED));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("dev.jstomp.frames", ">>> CONNECT", "passcode:***", "<<< CONNECTED", ">>> DISCONNECT")
                .doesNotContain(BROKER.password());
    }
}
