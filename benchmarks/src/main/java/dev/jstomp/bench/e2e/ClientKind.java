package dev.jstomp.bench.e2e;

import java.util.List;
import java.util.function.Function;

/** The clients the runner compares, each on one transport. */
public enum ClientKind {
    JSTOMP_TCP("jstomp", "tcp", b -> new JstompWorkload(b, false)),
    JSTOMP_WS("jstomp", "ws", b -> new JstompWorkload(b, true)),
    JSTOMP_METRICS_TCP("jstomp-metrics", "tcp", b -> new JstompWorkload(b, false, Instrumentation.METRICS)),
    JSTOMP_METRICS_WS("jstomp-metrics", "ws", b -> new JstompWorkload(b, true, Instrumentation.METRICS)),
    JSTOMP_OBSERVED_TCP("jstomp-observed", "tcp", b -> new JstompWorkload(b, false, Instrumentation.METRICS_AND_TRACING)),
    JSTOMP_OBSERVED_WS("jstomp-observed", "ws", b -> new JstompWorkload(b, true, Instrumentation.METRICS_AND_TRACING)),
    JSTOMP_OBSERVED_10_TCP("jstomp-observed-0.1", "tcp",
            b -> new JstompWorkload(b, false, Instrumentation.METRICS_AND_TRACING_SAMPLED_10)),
    JSTOMP_OBSERVED_10_WS("jstomp-observed-0.1", "ws",
            b -> new JstompWorkload(b, true, Instrumentation.METRICS_AND_TRACING_SAMPLED_10)),
    JSTOMP_DIRECT_TCP("jstomp-direct", "tcp", b -> JstompWorkload.directCallbacks(b, false)),
    JSTOMP_DIRECT_WS("jstomp-direct", "ws", b -> JstompWorkload.directCallbacks(b, true)),
    SPRING_TCP("spring", "tcp", SpringTcpWorkload::new),
    SPRING_WS("spring", "ws", SpringWsWorkload::new),
    VERTX_TCP("vertx", "tcp", b -> new VertxWorkload(b, true)),
    VERTX_NORECEIPT_TCP("vertx-noreceipt", "tcp", b -> new VertxWorkload(b, false)),
    RAW_TCP("raw", "tcp", RawTcpWorkload::new),
    RAW_WS("raw", "ws", RawWsWorkload::new),
    // For diagnosis: jstomp on one side of the pair only (HybridWorkload).
    JSTOMP_SEND_TCP("jstomp-send", "tcp", b -> new HybridWorkload(new RawTcpWorkload(b), new JstompWorkload(b, false))),
    JSTOMP_RECEIVE_TCP("jstomp-receive", "tcp", b -> new HybridWorkload(new JstompWorkload(b, false), new RawTcpWorkload(b))),
    JSTOMP_SEND_WS("jstomp-send", "ws", b -> new HybridWorkload(new RawWsWorkload(b), new JstompWorkload(b, true))),
    JSTOMP_RECEIVE_WS("jstomp-receive", "ws", b -> new HybridWorkload(new JstompWorkload(b, true), new RawWsWorkload(b)));

    /** The client every other one on the same transport is compared with. */
    public static final String BASELINE = "raw";
    public static final String JSTOMP = "jstomp";

    private final String client;
    private final String transport;
    private final Function<BrokerAddress, Workload> factory;

    ClientKind(String client, String transport, Function<BrokerAddress, Workload> factory) {
        this.client = client;
        this.transport = transport;
        this.factory = factory;
    }

    public String client() {
        return client;
    }

    public String transport() {
        return transport;
    }

    public String label() {
        return client + "/" + transport;
    }

    public Workload create(BrokerAddress broker) {
        return factory.apply(broker);
    }

    /** The kinds whose client and transport are both selected, in declaration order. */
    public static List<ClientKind> select(List<String> clients, List<String> transports) {
        return java.util.Arrays.stream(values())
                .filter(k -> clients.contains(k.client) && transports.contains(k.transport))
                .toList();
    }
}
