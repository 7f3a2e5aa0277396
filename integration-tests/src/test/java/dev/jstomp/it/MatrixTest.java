package dev.jstomp.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A behaviour run against every {@link Target} (or those listed), each run a cell of the compatibility
 * table. The method takes one {@link BrokerTarget} parameter.
 */
@java.lang.annotation.Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}", allowZeroInvocations = true) // none when -Djstomp.targets leaves none
@ArgumentsSource(Targets.class)
@ExtendWith(Compatibility.class)
@interface MatrixTest {

    /** The behaviour, as the table's row shows it. */
    String value();

    /** The targets it applies to; empty for all. */
    Target[] only() default {};

    /** Why the other targets are not applicable (shown in the table); required with {@link #only()}. */
    String otherwise() default "";
}
