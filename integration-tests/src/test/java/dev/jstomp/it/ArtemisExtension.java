package dev.jstomp.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.jstomp.broker.EmbeddedArtemis;

/**
 * The embedded Artemis as a JUnit 5 extension: {@code @RegisterExtension static final ArtemisExtension
 * broker = new ArtemisExtension();} starts it before the class's tests and stops it after.
 */
public class ArtemisExtension extends EmbeddedArtemis implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    public ArtemisExtension() {
        super();
    }

    public ArtemisExtension(int webSocketMaxFramePayloadLength) {
        super(webSocketMaxFramePayloadLength);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> type = pc.getParameter().getType();
        return EmbeddedArtemis.class.isAssignableFrom(type) && type.isInstance(this);
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        return this;
    }
}
