package io.kubecdk.testsupport;

import java.util.Map;
import java.util.TreeMap;

/** The cluster.env values the user-data writes, for a test environment named "test". */
public final class ClusterEnv {

    private ClusterEnv() {
    }

    /** The values every node gets. */
    public static Map<String, String> common(String bucket) {
        Map<String, String> env = new TreeMap<>();
        env.put("API_ENDPOINT", "master.test.kube:6443");
        env.put("AVAIL_ZONE", "eu-west-1a");
        env.put("BACKUP_INTERVAL_MINUTES", "15");
        env.put("BACKUP_PREFIX", "etcd-backups/");
        env.put("CLUSTER_NAME", "kubecdk-test");
        env.put("ENVIRONMENT", "test");
        env.put("INSTANCE_ID", "i-0123456789abcdef0");
        env.put("JOIN_PREFIX", "join/");
        env.put("KUBERNETES_RELEASE", "v1.31");
        env.put("KUBERNETES_VERSION", "1.31.4");
        env.put("MASTER_IP", "10.0.1.5");
        env.put("NODE_LABELS", "team=platform,tier=general");
        env.put("POD_CIDR", "10.244.0.0/16");
        env.put("POD_NETWORK", "calico");
        env.put("PRIVATE_IP", "10.0.1.5");
        env.put("PRIVATE_ZONE", "test.kube");
        env.put("REGION", MotoServer.REGION);
        env.put("SCRIPTS_BUCKET", bucket);
        env.put("SERVICE_CIDR", "10.96.0.0/12");
        env.put("ZONE_ID", "Z0000000000TEST");
        return env;
    }

    /** A master's values. */
    public static Map<String, String> master(String bucket) {
        Map<String, String> env = common(bucket);
        env.put("NODE_ROLE", "master");
        env.put("ETCD_DEVICE", "/dev/sdf");
        env.put("ADVERTISE_CLIENT_URLS", "https://10.0.1.5:2379");
        env.put("LISTEN_CLIENT_URLS", "https://127.0.0.1:2379,https://10.0.1.5:2379");
        env.put("LISTEN_PEER_URLS", "https://10.0.1.5:2380");
        return env;
    }

    /** A minion's values for ROLE (worker or loadbalancer) in GROUP. */
    public static Map<String, String> minion(String bucket, String role, String group) {
        Map<String, String> env = common(bucket);
        env.put("NODE_ROLE", role);
        env.put("MINION_GROUP", group);
        env.put("PRIVATE_IP", "10.0.2.7");
        return env;
    }
}
