package dev.jstomp.spring;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real RabbitMQ of this machine (the one {@code .ci/brokers.sh} starts) and the rule for when it does
 * not answer: skipped locally, a failure when brokers are required ({@code CI=true} or
 * {@code -Djstomp.requireBrokers=true}), as in the integration-tests module.
 */
final class Brokers {

    static final String HOST = "127.0.0.1";
    static final int RABBITMQ_STOMP = 61613;
    static final int RABBITMQ_AMQP = 5672;
    static final String RABBITMQ_USER = "guest";
    static final String RABBITMQ_PASSWORD = "guest";

    private static final AtomicLong NAMES = new AtomicLong();

    private Brokers() {
    }

    static void requireRabbitMq() {
        for (int port : new int[] {RABBITMQ_STOMP, RABBITMQ_AMQP}) {
            if (!listening(port)) {
                String reason = "RabbitMQ is not reachable at " + HOST + ":" + port
                        + "; start the brokers with `bash .ci/brokers.sh start`";
                if (Boolean.getBoolean("jstomp.requireBrokers") || "true".equalsIgnoreCase(System.getenv("CI"))) {
                    Assertions.fail(reason + " (brokers are required: CI=true or -Djstomp.requireBrokers=true)");
                }
                Assumptions.abort(reason + "; skipped (set CI=true or -Djstomp.requireBrokers=true to make this a failure)");
            }
        }
    }

    /** A destination name unique to this run (others test against the same RabbitMQ at the same time). */
    static String unique(String name) {
        return "starter-" + name + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    /** The live threads of jstomp clients (client-core names each of its threads jstomp-...). */
    static Set<Thread> jstompThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("jstomp-"))
                .collect(Collectors.toSet());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
