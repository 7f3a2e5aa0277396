package dev.jstomp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class BrokerUrlTest {

    @Test
    void acceptsTheFourTransportsWeSpeak() {
        assertThat(BrokerUrl.check("ws://localhost:15674/ws")).isEqualTo(BrokerUrl.Kind.WEBSOCKET);
        assertThat(BrokerUrl.check("wss://broker.example:443/stomp")).isEqualTo(BrokerUrl.Kind.WEBSOCKET);
        assertThat(BrokerUrl.check("tcp://localhost:61613")).isEqualTo(BrokerUrl.Kind.TCP);
        assertThat(BrokerUrl.check("stomp://localhost")).isEqualTo(BrokerUrl.Kind.TCP);
        assertThat(BrokerUrl.check("stomp+ssl://localhost:61614")).isEqualTo(BrokerUrl.Kind.TLS);
    }

    @Test
    void unknownSchemesAndSlipsGetAHint() {
        assertThatThrownBy(() -> BrokerUrl.check("amqp://localhost:5672"))
                .hasMessageContaining("unsupported URL scheme 'amqp'").hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> BrokerUrl.check("http://localhost:8161"))
                .hasMessageContaining("ws://");
        assertThatThrownBy(() -> BrokerUrl.check("localhost:61613"))
                .hasMessageContaining("no scheme").hasMessageContaining("tcp://localhost:61613");
        assertThatThrownBy(() -> BrokerUrl.check("tcp://:61613")).hasMessageContaining("has no host");
        assertThat(catchExit(() -> BrokerUrl.check("foo://x"))).isEqualTo(Exit.USAGE);
    }

    @Test
    void credentialsInAUrlNeverReachOutput() {
        assertThat(BrokerUrl.safe("ws://guest:secret@host:15674/ws")).isEqualTo("ws://host:15674/ws");
        assertThatThrownBy(() -> BrokerUrl.check("amqp://guest:secret@host")).message().doesNotContain("secret");
    }

    @Test
    void theFirstArgumentIsAUrlOnlyWhenItLooksLikeOne() {
        assertThat(Positionals.split(List.of("/queue/a", "body")))
                .isEqualTo(new Positionals(null, List.of("/queue/a", "body")));
        assertThat(Positionals.split(List.of("tcp://h:1", "/queue/a")))
                .isEqualTo(new Positionals("tcp://h:1", List.of("/queue/a")));
        assertThat(Positionals.split(List.of("localhost:61613", "/queue/a")).url()).isEqualTo("localhost:61613");
        assertThat(Positionals.split(List.of("orders")).url()).isNull();
        assertThat(Positionals.split(null).rest()).isEmpty();
    }

    private static int catchExit(Runnable r) {
        try {
            r.run();
            return Exit.OK;
        } catch (CliException e) {
            return e.exitCode();
        }
    }
}
