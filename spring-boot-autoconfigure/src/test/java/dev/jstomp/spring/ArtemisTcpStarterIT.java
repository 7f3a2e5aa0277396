package dev.jstomp.spring;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.jstomp.broker.EmbeddedArtemis;

/** {@link ArtemisStarterTests} over STOMP on TCP. */
@SpringBootTest(classes = ArtemisApp.class)
class ArtemisTcpStarterIT extends ArtemisStarterTests {

    static final EmbeddedArtemis BROKER = new EmbeddedArtemis().start();

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        for (String property : properties(tcpUrl(), BROKER)) {
            int eq = property.indexOf('=');
            registry.add(property.substring(0, eq), () -> property.substring(eq + 1));
        }
    }

    @AfterAll
    static void stopBroker() {
        BROKER.close();
    }

    private static String tcpUrl() {
        return "tcp://" + BROKER.tcpHost() + ":" + BROKER.port();
    }

    @Override
    EmbeddedArtemis broker() {
        return BROKER;
    }

    @Override
    String url() {
        return tcpUrl();
    }
}
