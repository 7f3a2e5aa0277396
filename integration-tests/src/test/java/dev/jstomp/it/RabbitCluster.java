package dev.jstomp.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The 3-node RabbitMQ cluster of {@code .ci/clusters.sh} (nodes 1-3: STOMP 6171N, Web-STOMP 1571N, AMQP
 * 5571N, guest/guest): its URLs, its AMQP side (quorum queues) and killing and restarting its nodes
 * through that script (by the nodes' own pid files; never the single broker).
 */
final class RabbitCluster {

    static final int NODES = 3;

    private RabbitCluster() {
    }

    static String stompUrl(int node) {
        return "tcp://127.0.0.1:" + (61710 + node);
    }

    static String wsUrl(int node) {
        return "ws://127.0.0.1:" + (15710 + node) + "/ws";
    }

    /** The node (1-3) a cluster URL points at. */
    static int nodeOf(String url) {
        String rest = url.substring(url.lastIndexOf(':') + 1);
        int slash = rest.indexOf('/');
        return Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash)) % 10;
    }

    /** Aborts locally, fails when brokers are required, unless every node takes STOMP and Web-STOMP. */
    static void require() {
        for (int node = 1; node <= NODES; node++) {
            Endpoints.require("RabbitMQ cluster node " + node + " STOMP (start it: bash .ci/clusters.sh start)",
                    61710 + node);
            Endpoints.require("RabbitMQ cluster node " + node + " Web-STOMP", 15710 + node);
        }
    }

    /**
     * {@code kill -9} of a node, as a crash, sent from here so that {@code justBefore} (which arms the
     * measurement) runs immediately before the signal, not before a script's start-up. Returns once the
     * node's process has exited.
     */
    static <T> T kill(int node, java.util.function.Supplier<T> justBefore) {
        long pid = Long.parseLong(script("pid", node, 30).strip());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("node " + node + " (pid " + pid + ") is not running"));
        T armed = justBefore.get();
        if (!process.destroyForcibly()) {
            throw new IllegalStateException("could not send SIGKILL to node " + node + " (pid " + pid + ")");
        }
        // Gone, or a zombie: in a container the reaper may be slow, and a zombie holds no sockets.
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        org.awaitility.Awaitility.await("node " + node + " (pid " + pid + ") exits after SIGKILL")
                .atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(10))
                .until(() -> !isRunning(stat));
        return armed;
    }

    private static boolean isRunning(Path stat) {
        try {
            String line = Files.readString(stat);
            return line.charAt(line.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone
        }
    }

    /** Starts a node again (it rejoins the cluster) and waits until it takes STOMP connections. */
    static void startNode(int node) {
        script("start-node", node, 90);
    }

    /** Starts every node that is down; for the end of a test, so the next one has a full cluster. */
    static void startAll() {
        for (int node = 1; node <= NODES; node++) {
            startNode(node); // a no-op for a running node
        }
    }

    /**
     * A careful operator's rolling-restart check before taking {@code nextDown} down after {@code restarted}
     * came back: waits (bounded) until every member of {@code queue} is a Raft leader or follower, the
     * restarted node's replica has committed everything the leader had committed at the previous look
     * (it has caught up, not just joined), and {@code rabbitmq-diagnostics check_if_node_is_quorum_critical}
     * passes on {@code nextDown}. Returns what it saw, for the test's output.
     */
    static String awaitReplicaCaughtUp(int restarted, int nextDown, String queue) {
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong leaderCommitBefore = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
        org.awaitility.Awaitility.await("node " + restarted + "'s replica of " + queue + " caught up, node " + nextDown
                + " not quorum-critical").atMost(java.time.Duration.ofSeconds(45))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    looks.incrementAndGet();
                    String status = script(30, "quorum-status", String.valueOf(restarted), queue);
                    long leaderCommit = -1;
                    long restartedCommit = -1;
                    boolean allMembers = true;
                    int members = 0;
                    java.util.regex.Matcher m = MEMBER.matcher(status);
                    while (m.find()) {
                        members++;
                        String state = m.group(2);
                        allMembers &= state.equals("leader") || state.equals("follower");
                        long commit = Long.parseLong(m.group(4));
                        if (state.equals("leader")) {
                            leaderCommit = commit;
                        }
                        if (m.group(1).equals("jstomp-c" + restarted + "@localhost")) {
                            restartedCommit = commit;
                        }
                    }
                    last.set(members + " members, leader commit " + leaderCommit + ", node " + restarted + "'s "
                            + restartedCommit);
                    long before = leaderCommitBefore.getAndSet(leaderCommit);
                    return members == NODES && allMembers && before >= 0 && restartedCommit >= before
                            && scriptSucceeds(30, "quorum-critical", String.valueOf(nextDown));
                });
        return "replica on node " + restarted + " caught up and node " + nextDown + " not quorum-critical after "
                + (System.nanoTime() - t0) / 1_000_000 + " ms (" + looks.get() + " looks; " + last.get() + ")";
    }

    /** One member in {@code rabbitmq-queues quorum_status --formatter json}. */
    private static final java.util.regex.Pattern MEMBER = java.util.regex.Pattern.compile(
            "\"Node Name\":\"([^\"]+)\",\"Raft State\":\"([^\"]+)\",\"Log Index\":(\\d+),\"Commit Index\":(\\d+)");

    /** Runs {@code clusters.sh command node}; returns what it printed. */
    private static String script(String command, int node, int timeoutSeconds) {
        return script(timeoutSeconds, command, String.valueOf(node));
    }

    private static boolean scriptSucceeds(int timeoutSeconds, String... args) {
        try {
            script(timeoutSeconds, args);
            return true;
        } catch (IllegalStateException failed) {
            return false;
        }
    }

    /** Runs {@code clusters.sh args...}; returns what it printed, fails if it exited non-zero. */
    private static String script(int timeoutSeconds, String... args) {
        String command = String.join(" ", args);
        String dir = System.getProperty("jstomp.ci.dir", "../.ci");
        try {
            File log = Files.createTempFile("jstomp-clusters-", ".log").toFile();
            List<String> line = new ArrayList<>(List.of("bash", Path.of(dir, "clusters.sh").toString()));
            line.addAll(List.of(args));
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("clusters.sh " + command + " took over " + timeoutSeconds + " s");
            }
            String output = Files.readString(log.toPath());
            log.delete();
            if (process.exitValue() != 0) {
                throw new IllegalStateException("clusters.sh " + command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + dir + "/clusters.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An AMQP connection to whichever node answers first. */
    static Connection amqp() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(Endpoints.RABBITMQ_USER);
        factory.setPassword(Endpoints.RABBITMQ_PASSWORD);
        factory.setVirtualHost(Endpoints.RABBITMQ_VHOST);
        factory.setConnectionTimeout(5_000);
        List<Address> nodes = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            nodes.add(new Address(Endpoints.HOST, 55710 + node));
        }
        return factory.newConnection(nodes, "jstomp-cluster-it");
    }

    /** Declares a durable quorum queue (replicated on all three nodes), consumed at /amq/queue/NAME. */
    static void declareQuorumQueue(String name) throws IOException, TimeoutException {
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum"));
        }
    }

    static void deleteQueueQuietly(String name) {
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            channel.queueDelete(name);
        } catch (Exception e) {
            // a unique name: a leftover is harmless
        }
    }
}
