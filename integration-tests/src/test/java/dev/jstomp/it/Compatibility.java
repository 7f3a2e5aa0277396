package dev.jstomp.it;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

import dev.jstomp.Broker;

/**
 * Records the outcome of every {@link MatrixTest} invocation as a cell of the compatibility table, and
 * checks first that the target's broker is reachable (see {@link Endpoints#require}).
 */
final class Compatibility implements InvocationInterceptor {

    /** One row of the table: a behaviour of a test class. */
    record Row(Class<?> testClass, String behaviour) {
    }

    enum Kind { PASS, UNSUPPORTED, FAIL, NOT_RUN }

    record Cell(Kind kind, String detail) {
    }

    private static final Map<Row, Map<Target, Cell>> RESULTS = new ConcurrentHashMap<>();
    private static final Map<Broker, String> SERVERS = new ConcurrentHashMap<>();

    static Map<Row, Map<Target, Cell>> results() {
        return RESULTS;
    }

    /** The first {@code server} header each broker sent in CONNECTED, for the versions line. */
    static Map<Broker, String> servers() {
        return SERVERS;
    }

    static void serverSeen(Broker broker, @Nullable String server) {
        if (server != null) {
            SERVERS.putIfAbsent(broker, server);
        }
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        BrokerTarget target = call.getArguments().stream().filter(BrokerTarget.class::isInstance)
                .map(BrokerTarget.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("A @MatrixTest takes a BrokerTarget parameter"));
        Row row = new Row(context.getRequiredTestClass(), call.getExecutable().getAnnotation(MatrixTest.class).value());
        try {
            target.requireReachable();
        } catch (Throwable unreachable) {
            invocation.skip();
            record(row, target, unreachable, "broker not reachable");
            throw unreachable;
        }
        try {
            invocation.proceed();
        } catch (Throwable failure) {
            record(row, target, failure, "aborted");
            throw failure;
        }
        String answer = target.unsupportedAnswer();
        put(row, target, answer == null ? new Cell(Kind.PASS, "") : new Cell(Kind.UNSUPPORTED, answer));
    }

    private static void record(Row row, BrokerTarget target, Throwable outcome, String notRun) {
        put(row, target, outcome instanceof TestAbortedException
                ? new Cell(Kind.NOT_RUN, notRun)
                : new Cell(Kind.FAIL, String.valueOf(outcome.getMessage())));
    }

    private static void put(Row row, BrokerTarget target, Cell cell) {
        RESULTS.computeIfAbsent(row, r -> new ConcurrentHashMap<>()).put(target.target, cell);
    }
}
