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
        return applicable(matrix).stream()
                .map(target -> Arguments.of(new BrokerTarget(target, () -> sharedArtemis(root))));
    }

    static List<Target> applicable(MatrixTest matrix) {
        return matrix.only().length == 0 ? List.of(Target.values()) : Arrays.asList(matrix.only());
    }

    /** Started on first use, stopped when the whole run ends (the root store closes AutoCloseable values). */
    private static EmbeddedStompBroker sharedArtemis(ExtensionContext.Store root) {
        return root.getOrComputeIfAbsent("artemis", key -> EmbeddedStompBroker.create().start(), EmbeddedStompBroker.class);
    }
}
