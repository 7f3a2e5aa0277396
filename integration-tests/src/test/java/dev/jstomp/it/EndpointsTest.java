package dev.jstomp.it;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The rule for an unreachable broker: a skip with a reason locally, a failure when brokers are required. */
class EndpointsTest {

    @Test
    void unreachableBrokerIsSkippedLocallyAndFailsWhenRequired() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> Endpoints.require("Test broker", closed, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("Test broker is not reachable at 127.0.0.1:" + closed)
                .hasMessageContaining("bash .ci/brokers.sh start");
        assertThatThrownBy(() -> Endpoints.require("Test broker", closed, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("brokers are required");
    }

    @Test
    void listeningBrokerPasses() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatCode(() -> Endpoints.require("Test broker", socket.getLocalPort(), true)).doesNotThrowAnyException();
        }
    }
}
