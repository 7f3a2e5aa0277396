package dev.jstomp.bench.soak;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import dev.jstomp.ConnectionState;
import dev.jstomp.Stomp;
import dev.jstomp.StompClient;
import dev.jstomp.StompException;

/**
 * The cluster soak: the at-least-once recipe through the 3-node RabbitMQ cluster of {@code .ci/clusters.sh}
 * for a long run, with a random node {@code kill -9}ed and restarted every 30 s. A quorum queue; one
 * producer over TCP sending {@code persistent:true} with receipts at a fixed rate (resending what was not
 * receipted), one consumer over Web-STOMP with {@code client-individual} acks, both given all three nodes.
 * Prints what was receipted, consumed, duplicated and lost, and each kill's cost. Not part of the build's
 * tests: {@code benchmarks/run.sh soak [--duration 600] [--rate 1000] [--kill-every 30]} with the cluster up.
 */
public final class ClusterSoak {

    private static final int WINDOW = 500;
    private static final long RECONNECT_DELAY = 200;

    private final Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> receipted = new ConcurrentHashMap<>();
    private final Queue<Long> toResend = new ConcurrentLinkedQueue<>();
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private final AtomicLong totalDeliveries = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicInteger consumerConnects = new AtomicInteger();
    private final List<Kill> kills = new CopyOnWriteArrayList<>();
    private volatile Kill armed;
    private volatile boolean producing = true;

    /** One kill: when, which node, and when the clients and the deliveries resumed. */
    static final class Kill {
        final int node;
        final long at = System.nanoTime();
        final boolean consumerHit;
        final boolean producerHit;
        final int consumerConnectsBefore;
        volatile long nextDelivery;
        volatile long consumerBack;
        volatile long producerBack;

        Kill(int node, boolean consumerHit, boolean producerHit, int consumerConnectsBefore) {
            this.node = node;
            this.consumerHit = consumerHit;
            this.producerHit = producerHit;
            this.consumerConnectsBefore = consumerConnectsBefore;
        }

        long ms(long when) {
            return when == 0 ? -1 : (when - at) / 1_000_000;
        }
    }

    public static void main(String[] args) throws Exception {
        long seconds = 600;
        int rate = 1_000;
        int killEvery = 30;
        String ci = ".ci";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration" -> seconds = Long.parseLong(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--kill-every" -> killEvery = Integer.parseInt(args[++i]);
                case "--ci-dir" -> ci = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --duration S --rate MSGS_PER_S --kill-every S --ci-dir DIR");
            }
        }
        System.exit(new ClusterSoak().run(Duration.ofSeconds(seconds), rate, Duration.ofSeconds(killEvery), ci));
    }

    private int run(Duration duration, int rate, Duration killEvery, String ci) throws Exception {
        String queue = "jstomp-soak-" + System.currentTimeMillis();
        declareQuorumQueue(queue);
        StompClient consumer = client(List.of(ws(1), ws(2), ws(3)));
        StompClient producer = client(List.of(tcp(2), tcp(3), tcp(1)));
        consumer.onStateChange(state -> {
            if (state == ConnectionState.CONNECTED) {
                int n = consumerConnects.incrementAndGet();
                Kill kill = armed;
                if (kill != null && kill.consumerHit && kill.consumerBack == 0 && n > kill.consumerConnectsBefore) {
                    kill.consumerBack = System.nanoTime();
                }
            }
        });
        producer.onStateChange(state -> {
            Kill kill = armed;
            if (state == ConnectionState.CONNECTED && kill != null && kill.producerHit && kill.producerBack == 0) {
                kill.producerBack = System.nanoTime();
            }
        });
        Map<String, String> login = Map.of("login", "guest", "passcode", "guest", "host", "/");
        consumer.connectAsync(login).get(30, TimeUnit.SECONDS);
        consumer.subscribe("/amq/queue/" + queue, message -> {
            long seq = Long.parseLong(message.body());
            deliveries.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet();
            totalDeliveries.incrementAndGet();
            Kill kill = armed;
            if (kill != null && kill.nextDelivery == 0
                    && (!kill.consumerHit || consumerConnects.get() > kill.consumerConnectsBefore)) {
                kill.nextDelivery = System.nanoTime();
            }
            try {
                message.ack();
            } catch (StompException e) {
                // its connection is gone; the broker redelivers it (a duplicate, counted)
            }
        }, Map.of("ack", "client-individual", "prefetch-count", "1000"));
        producer.connectAsync(login).get(30, TimeUnit.SECONDS);

        Instant started = Instant.now();
        System.out.printf("Soak: %s at %d msgs/s, a random node killed and restarted every %s; queue %s%n",
                duration, rate, killEvery, queue);
        Thread producerThread = new Thread(() -> produce(producer, "/amq/queue/" + queue, rate), "soak-producer");
        producerThread.setDaemon(true);
        producerThread.start();

        long end = System.nanoTime() + duration.toNanos();
        long nextKill = System.nanoTime() + killEvery.toNanos();
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            if (now >= nextKill) {
                int node = ThreadLocalRandom.current().nextInt(3) + 1;
                Kill kill = new Kill(node, nodeOf(consumer.connectedTo()) == node, nodeOf(producer.connectedTo()) == node,
                        consumerConnects.get());
                armed = kill;
                kills.add(kill);
                long killedAt = Duration.between(started, Instant.now()).toSeconds();
                script(ci, "kill", node);
                script(ci, "start-node", node); // back at once; the next kill comes killEvery after this one
                System.out.printf("%5ds kill -9 node %d (consumer %s, producer %s): next delivery %d ms, consumer "
                        + "back %d ms, producer back %d ms; sent %d, receipted %d, consumed %d%n",
                        killedAt, node, kill.consumerHit ? "hit" : "not hit",
                        kill.producerHit ? "hit" : "not hit", kill.ms(kill.nextDelivery), kill.ms(kill.consumerBack),
                        kill.ms(kill.producerBack), sent.get(), receipted.size(), deliveries.size());
                nextKill += killEvery.toNanos();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        producing = false;
        long sendingSeconds = Duration.between(started, Instant.now()).toSeconds();
        // Drain: what is in flight gets receipted or resent, and every receipted message consumed (bounded).
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < drainUntil && !(toResend.isEmpty() && window.availablePermits() == WINDOW
                && missing().isEmpty())) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        List<Long> lost = missing();
        producer.close();
        consumer.close();
        deleteQueue(queue);
        report(sendingSeconds, rate, lost);
        return lost.isEmpty() ? 0 : 1;
    }

    private void produce(StompClient producer, String destination, int rate) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        long seq = 0;
        while (true) {
            Long again = toResend.poll();
            long current;
            if (again != null) {
                current = again;
            } else if (producing) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                next += interval;
                current = seq++;
                sent.incrementAndGet();
            } else if (window.availablePermits() == WINDOW && toResend.isEmpty()) {
                return;
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                continue;
            }
            try {
                if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
                    toResend.add(current);
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                producer.sendWithReceipt(destination, Map.of("persistent", "true"), Long.toString(current))
                        .whenComplete((receipt, failure) -> {
                            window.release();
                            if (failure == null) {
                                receipted.put(current, Boolean.TRUE);
                            } else {
                                resend(current, failure);
                            }
                        });
            } catch (StompException e) {
                window.release();
                resend(current, e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    private void resend(long seq, Throwable why) {
        resends.incrementAndGet();
        if (String.valueOf(why.getMessage()).contains("Receipts stopped coming")) {
            stalls.incrementAndGet();
        }
        toResend.add(seq);
    }

    private List<Long> missing() {
        List<Long> missing = new ArrayList<>();
        for (Long seq : receipted.keySet()) {
            if (!deliveries.containsKey(seq)) {
                missing.add(seq);
            }
        }
        return missing;
    }

    private void report(long seconds, int rate, List<Long> lost) throws Exception {
        List<Long> nextDelivery = new ArrayList<>();
        List<Long> reconnect = new ArrayList<>();
        for (Kill kill : kills) {
            if (kill.nextDelivery != 0) {
                nextDelivery.add(kill.ms(kill.nextDelivery));
            }
            if (kill.consumerHit && kill.consumerBack != 0) {
                reconnect.add(kill.ms(kill.consumerBack));
            }
            if (kill.producerHit && kill.producerBack != 0) {
                reconnect.add(kill.ms(kill.producerBack));
            }
        }
        nextDelivery.sort(null);
        reconnect.sort(null);
        String text = String.format("""
                Cluster soak: %d s at %d msgs/s offered (%.0f msgs/s receipted), %d kills (random node, kill -9, restarted)
                sent %d, receipted %d, consumed %d distinct in %d deliveries: %d duplicates (%.3f%%), %d resends (%d after a receipt stall)
                receipted but never consumed: %d %s
                kill to next delivery (ms): min %s, median %s, max %s over %d kills
                kill to reconnect of a client on the killed node (ms): min %s, median %s, max %s over %d reconnects
                """, seconds, rate, receipted.size() / (double) Math.max(1, seconds), kills.size(), sent.get(),
                receipted.size(), deliveries.size(), totalDeliveries.get(), totalDeliveries.get() - deliveries.size(),
                100.0 * (totalDeliveries.get() - deliveries.size()) / Math.max(1, deliveries.size()), resends.get(),
                stalls.get(), lost.size(), lost.isEmpty() ? "" : lost.subList(0, Math.min(10, lost.size())),
                pick(nextDelivery, 0), pick(nextDelivery, 50), pick(nextDelivery, 100), nextDelivery.size(),
                pick(reconnect, 0), pick(reconnect, 50), pick(reconnect, 100), reconnect.size());
        System.out.print(text);
        Path out = Path.of("benchmarks", "results", "cluster-soak.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text, StandardCharsets.UTF_8);
    }

    private static String pick(List<Long> sorted, int percent) {
        return sorted.isEmpty() ? "-" : String.valueOf(sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100)));
    }

    private static StompClient client(List<String> urls) {
        StompClient client = Stomp.client(urls);
        // Off: a killed node's sockets are closed by its kernel at once; RabbitMQ 3.10 Web-STOMP's heart-beat
        // monitor can crash under bursts (README, Limits).
        client.heartbeat().outgoing(0).incoming(0);
        client.reconnectDelay(RECONNECT_DELAY).reconnectMaxDelay(2_000).connectTimeout(Duration.ofSeconds(3))
                .receiptTimeout(Duration.ofSeconds(3)).heldSendLimit(WINDOW * 2, 64L * 1024 * 1024);
        return client;
    }

    private static String tcp(int node) {
        return "tcp://127.0.0.1:" + (61710 + node);
    }

    private static String ws(int node) {
        return "ws://127.0.0.1:" + (15710 + node) + "/ws";
    }

    private static int nodeOf(String url) {
        if (url == null) {
            return 0;
        }
        String rest = url.substring(url.lastIndexOf(':') + 1);
        int slash = rest.indexOf('/');
        return Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash)) % 10;
    }

    private static void script(String ci, String command, int node) throws Exception {
        File log = File.createTempFile("jstomp-soak-", ".log");
        Process process = new ProcessBuilder("bash", Path.of(ci, "clusters.sh").toString(), command, String.valueOf(node))
                .redirectErrorStream(true).redirectOutput(log).start();
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("clusters.sh " + command + " " + node + " failed: " + Files.readString(log.toPath()));
        }
        log.delete();
    }

    private static Connection amqp() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername("guest");
        factory.setPassword("guest");
        List<Address> nodes = List.of(new Address("127.0.0.1", 55711), new Address("127.0.0.1", 55712),
                new Address("127.0.0.1", 55713));
        return factory.newConnection(nodes, "jstomp-soak");
    }

    private static void declareQuorumQueue(String name) throws Exception {
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(name, true, false, false, Map.of("x-queue-type", "quorum"));
        }
    }

    private static void deleteQueue(String name) {
        try (Connection connection = amqp(); Channel channel = connection.createChannel()) {
            channel.queueDelete(name);
        } catch (Exception e) {
            System.err.println("Could not delete queue " + name + ": " + e);
        }
    }
}
