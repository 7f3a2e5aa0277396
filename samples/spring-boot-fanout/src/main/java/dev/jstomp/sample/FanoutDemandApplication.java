package dev.jstomp.sample;

import java.util.Arrays;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * The seed scenario as a Boot service: {@link DemandListener} logs every demand a fanout exchange
 * publishes, {@link DemandPublisher} publishes one every {@code demand.publish-every}. Run it against
 * RabbitMQ as it is, or with {@code --embedded} against an in-process Artemis.
 */
@SpringBootApplication
@EnableScheduling
public class FanoutDemandApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments; {@code --embedded} to start an in-process broker first
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(FanoutDemandApplication.class);
        if (Arrays.asList(args).contains("--embedded")) {
            EmbeddedArtemis broker = new EmbeddedArtemis().start();
            application.addInitializers(context -> {
                // First among the property sources, so it wins over application.yml's RabbitMQ settings.
                context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("embeddedBroker", embeddedBroker(broker)));
                // A bean, so the broker is closed with the context, after the client has disconnected.
                ((GenericApplicationContext) context).registerBean("embeddedArtemis", EmbeddedArtemis.class, () -> broker);
            });
        }
        application.run(args);
    }

    /**
     * The properties that point the application at an embedded broker.
     *
     * @param broker the started broker
     * @return the jstomp and demand properties for it
     */
    public static Map<String, Object> embeddedBroker(EmbeddedArtemis broker) {
        return Map.of("jstomp.url", "tcp://" + broker.tcpHost() + ":" + broker.port(), "jstomp.login", broker.user(),
                "jstomp.passcode", broker.password(), "demand.destination", "/topic/FanoutDemandExchange");
    }
}
