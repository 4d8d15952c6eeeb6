package io.kubecdk.userdata;

import io.kubecdk.spec.BucketSpec;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NodeRole;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the bootstrap model of each kind of node from the spec and the cluster's deployed names, in
 * one place, so master and minions agree on every key of {@code /etc/kubecdk/cluster.env}.
 *
 * @param spec the cluster
 * @param scriptsBucket the bucket's name (usually a CDK token)
 * @param zoneId the private zone's id (usually a CDK token)
 * @param bundle the scripts bundle the nodes fetch
 * @param etcdDevice device name of the master's etcd volume
 */
public record NodeBootstrap(ClusterSpec spec, String scriptsBucket, String zoneId, ScriptsBundle bundle,
                            String etcdDevice) {

    /** @return the master's model */
    public BootstrapModel master() {
        Map<String, EnvValue> env = common();
        env.put("ADVERTISE_CLIENT_URLS", EnvValue.atBoot("ADVERTISE_CLIENT_URLS"));
        env.put("BACKUP_INTERVAL_MINUTES", EnvValue.literal(String.valueOf(spec.bucket().backupIntervalMinutes())));
        env.put("ETCD_DEVICE", EnvValue.literal(etcdDevice));
        env.put("LISTEN_CLIENT_URLS", EnvValue.atBoot("LISTEN_CLIENT_URLS"));
        env.put("LISTEN_PEER_URLS", EnvValue.atBoot("LISTEN_PEER_URLS"));
        env.put("NODE_LABELS", EnvValue.literal(""));
        env.put("NODE_ROLE", EnvValue.literal("master"));
        return new BootstrapModel("master.sh.ftl", "master", "master", spec.environment(), scriptsBucket,
                bundle.hash(), new TreeMap<>(env));
    }

    /**
     * @param group a minion group of the spec
     * @param eipPool the group's Elastic IP pool tag value (load-balancer groups)
     * @return the group's model
     */
    public BootstrapModel minion(MinionGroupSpec group, String eipPool) {
        Map<String, EnvValue> env = common();
        env.put("MINION_GROUP", EnvValue.literal(group.name()));
        env.put("NODE_LABELS", EnvValue.literal(group.labels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","))));
        env.put("NODE_ROLE", EnvValue.literal(group.role().id()));
        if (group.role() == NodeRole.LOADBALANCER) {
            env.put("EIP_POOL", EnvValue.literal(eipPool));
        }
        return new BootstrapModel("minion.sh.ftl", group.role().id(), group.name(), spec.environment(),
                scriptsBucket, bundle.hash(), new TreeMap<>(env));
    }

    private Map<String, EnvValue> common() {
        Map<String, EnvValue> env = new TreeMap<>();
        env.put("API_ENDPOINT", EnvValue.literal(spec.apiHostName() + ":6443"));
        env.put("AVAIL_ZONE", EnvValue.atBoot("AVAIL_ZONE"));
        env.put("BACKUP_PREFIX", EnvValue.literal(BucketSpec.BACKUP_PREFIX));
        env.put("CLUSTER_NAME", EnvValue.literal(spec.clusterName()));
        env.put("ENVIRONMENT", EnvValue.literal(spec.environment()));
        env.put("INSTANCE_ID", EnvValue.atBoot("INSTANCE_ID"));
        env.put("JOIN_PREFIX", EnvValue.literal(BucketSpec.JOIN_PREFIX));
        env.put("KUBERNETES_RELEASE", EnvValue.literal(spec.kubernetes().release()));
        env.put("KUBERNETES_VERSION", EnvValue.literal(spec.kubernetes().version()));
        env.put("MASTER_IP", EnvValue.atBoot("MASTER_IP"));
        env.put("POD_CIDR", EnvValue.literal(spec.kubernetes().podCidr()));
        env.put("POD_NETWORK", EnvValue.literal(spec.kubernetes().podNetwork().id()));
        env.put("PRIVATE_IP", EnvValue.atBoot("PRIVATE_IP"));
        env.put("PRIVATE_ZONE", EnvValue.literal(spec.privateZoneName()));
        env.put("PUBLIC_IP", EnvValue.atBootIfPresent("PUBLIC_IP"));
        env.put("REGION", EnvValue.atBoot("REGION"));
        env.put("SCRIPTS_BUCKET", EnvValue.literal(scriptsBucket));
        env.put("SERVICE_CIDR", EnvValue.literal(spec.kubernetes().serviceCidr()));
        env.put("ZONE_ID", EnvValue.literal(zoneId));
        return env;
    }
}
