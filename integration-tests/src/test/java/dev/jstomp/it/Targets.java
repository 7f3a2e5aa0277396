package dev.jstomp.it;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.ParameterDeclarations;
import dev.jstomp.test.EmbeddedStompBroker;


/** One {@link BrokerTarget} per applicable {@link Target}, sharing one embedded Artemis for the whole run. */
final class Targets implements ArgumentsProvider {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Targets.class);

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        MatrixTest matrix = context.getRequiredTestMethod().getAnnotation(MatrixTest.class);
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        return applicable(matrix).stream().filter(Targets::selected)
                .map(target -> Arguments.of(new BrokerTarget(target, () -> sharedArtemis(root))));
    }

    /**
     * Whether {@code -Djstomp.targets} (a comma list of {@link Target} names, e.g. {@code ARTEMIS_TCP,ARTEMIS_WS}
     * for the embedded broker only) selects this target; all are selected without it. A filtered run leaves
     * cells unrun, so the README's table is not compared.
     */
    static boolean selected(Target target) {
        String only = System.getProperty("jstomp.targets", "").strip();
        if (only.isEmpty()) {
            return true;
        }
        List<String> names = Arrays.stream(only.split(",")).map(String::strip).toList();
        for (String name : names) {
            if (Arrays.stream(Target.values()).noneMatch(t -> t.name().equals(name))) {
                throw new IllegalArgumentException("-Djstomp.targets: unknown target '" + name + "'; use "
                        + Arrays.toString(Target.values()));
            }
        }
        return names.contains(target.name());
    }

    static List<Target> applicable(MatrixTest matrix) {
        return matrix.only().length == 0 ? List.of(Target.values()) : Arrays.asList(matrix.only());
    }

    /** Started on first use, stopped when the whole run ends (the root store closes AutoCloseable values). */
    private static EmbeddedStompBroker sharedArtemis(ExtensionContext.Store root) {
        return root.getOrComputeIfAbsent("artemis", key -> EmbeddedStompBroker.create().start(), EmbeddedStompBroker.class);
    }
}
