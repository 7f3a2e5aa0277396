package dev.jstomp.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real brokers listen (those of {@code .ci/brokers.sh}), and the rule for an unreachable one:
 * skipped locally, a failure when brokers are required ({@code CI=true} or {@code -Djstomp.requireBrokers=true}).
 */
final class Endpoints {

    static final String HOST = "127.0.0.1";
    static final int RABBITMQ_STOMP = 61613;
    static final int RABBITMQ_WEB_STOMP = 15674;
    static final String RABBITMQ_WS_URL = "ws://" + HOST + ":" + RABBITMQ_WEB_STOMP + "/ws";
    static final int RABBITMQ_AMQP = 5672;
    static final String RABBITMQ_USER = "guest";
    static final String RABBITMQ_PASSWORD = "guest";
    static final String RABBITMQ_VHOST = "/";
    static final int CLASSIC_STOMP = 61623;

    private static final Map<Integer, Boolean> REACHABLE = new ConcurrentHashMap<>();

    private Endpoints() {
    }

    static boolean brokersRequired() {
        return Boolean.getBoolean("jstomp.requireBrokers") || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Passes when the port answers; otherwise aborts the test (locally) or fails it (brokers required). */
    static void require(String what, int port) {
        require(what, port, brokersRequired());
    }

    static void require(String what, int port, boolean required) {
        // Probed once per run: a broker that is down stays down, and each probe of a dead port costs a timeout.
        if (REACHABLE.computeIfAbsent(port, Endpoints::listening)) {
            return;
        }
        String reason = what + " is not reachable at " + HOST + ":" + port
                + "; start the brokers with `bash .ci/brokers.sh start` (as root or with sudo)";
        if (required) {
            Assertions.fail(reason + " (brokers are required: CI=true or -Djstomp.requireBrokers=true)");
        }
        Assumptions.abort(reason + "; skipped (set CI=true or -Djstomp.requireBrokers=true to make this a failure)");
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
