package dev.jstomp.it;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.ha.ReplicaPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * One server of an Artemis primary/backup pair with replication (shared nothing), run as a JVM of its own
 * by {@link ArtemisPair} so that killing the primary is a process dying. The same Artemis 2.55 classes as
 * the project's embedded broker, with a replication HA policy and a cluster connection to the peer over
 * the core protocol; STOMP (TCP and WebSocket) on its own acceptor, which Artemis opens only while this
 * server is the active one. Prints {@code ACTIVE} when it becomes active and {@code BACKUP-SYNCED} once
 * a backup holds a replica, for the launcher to wait on.
 *
 * <p>Arguments: {@code primary|backup stompPort corePort peerCorePort dataDir}.
 */
public final class ArtemisPairNode {

    private ArtemisPairNode() {
    }

    public static void main(String[] args) throws Exception {
        boolean primary = args[0].equals("primary");
        int stompPort = Integer.parseInt(args[1]);
        int corePort = Integer.parseInt(args[2]);
        int peerPort = Integer.parseInt(args[3]);
        File data = new File(args[4]);

        Configuration c = new ConfigurationImpl()
                .setName(primary ? "jstomp-primary" : "jstomp-backup")
                .setPersistenceEnabled(true) // replication copies the journal
                .setJournalType(JournalType.NIO).setJournalFileSize(1024 * 1024).setJournalMinFiles(2)
                .setJMXManagementEnabled(false)
                .setSecurityEnabled(false)
                .setCriticalAnalyzer(false)
                .setMaxDiskUsage(-1)
                .setClusterUser("jstomp-cluster").setClusterPassword("jstomp-cluster-pass");
        c.setBrokerInstance(data);
        c.addAcceptorConfiguration("stomp", "tcp://127.0.0.1:" + stompPort
                + "?protocols=STOMP;anycastPrefix=/queue/;multicastPrefix=/topic/");
        c.addAcceptorConfiguration("core", "tcp://127.0.0.1:" + corePort + "?protocols=CORE");
        c.addConnectorConfiguration("self", "tcp://127.0.0.1:" + corePort);
        c.addConnectorConfiguration("peer", "tcp://127.0.0.1:" + peerPort);
        c.addClusterConfiguration(new ClusterConnectionConfiguration()
                .setName("jstomp-pair").setConnectorName("self").setStaticConnectors(List.of("peer"))
                .setMessageLoadBalancingType(MessageLoadBalancingType.OFF)
                .setRetryInterval(200).setReconnectAttempts(-1));
        if (primary) {
            // Back after a crash, the primary first looks for an active backup and takes over from it (failback).
            c.setHAPolicyConfiguration(new ReplicatedPolicyConfiguration().setCheckForActiveServer(true)
                    .setClusterName("jstomp-pair"));
        } else {
            c.setHAPolicyConfiguration(new ReplicaPolicyConfiguration().setAllowFailBack(true)
                    .setClusterName("jstomp-pair"));
        }
        c.addAddressSetting("#", new AddressSettings().setAutoCreateAddresses(true).setAutoCreateQueues(true));

        ActiveMQServer server = new ActiveMQServerImpl(c);
        server.start();
        boolean active = false;
        boolean synced = false;
        while (true) { // report changes until killed
            if (server.isActive() != active) {
                active = server.isActive();
                System.out.println(active ? "ACTIVE" : "PASSIVE");
            }
            boolean nowSynced = !server.isActive() && server.isReplicaSync();
            if (nowSynced != synced) {
                synced = nowSynced;
                System.out.println(synced ? "BACKUP-SYNCED" : "BACKUP-NOT-SYNCED");
            }
            System.out.flush();
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
