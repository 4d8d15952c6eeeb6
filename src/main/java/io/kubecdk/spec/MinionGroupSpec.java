package io.kubecdk.spec;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One group of minions (worker nodes): an auto-scaling group spread over the three AZs.
 *
 * @param name the group's name, unique in the cluster, used in ids, tags and resource names
 * @param role what the nodes do; load-balancer groups live in public subnets and hold Elastic IPs
 * @param instanceType EC2 instance type
 * @param minSize the group's minimum size
 * @param maxSize the group's maximum size
 * @param desiredCapacity the size to set on every deploy, or {@code null} to leave it to scaling
 * @param labels Kubernetes node labels added to every node of the group
 * @param imageParameter SSM parameter holding the AMI id, or {@code null} for Amazon Linux 2023
 * @param rootVolumeSize root volume size in GiB (gp3, encrypted)
 * @param elasticIps size of the Elastic IP pool (load-balancer groups only)
 */
public record MinionGroupSpec(String name, NodeRole role, String instanceType, int minSize, int maxSize,
                              Integer desiredCapacity, Map<String, String> labels, String imageParameter,
                              int rootVolumeSize, int elasticIps) {

    /** Canonicalizes the labels into a sorted, unmodifiable map. */
    public MinionGroupSpec {
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /**
     * @param name the group's name: a DNS label, unique in the cluster
     * @return a builder with every other default set
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link MinionGroupSpec}. */
    public static final class Builder {
        private final String name;
        private NodeRole role = NodeRole.WORKER;
        private String instanceType = "t3.large";
        private int minSize = 1;
        private int maxSize = 3;
        private Integer desiredCapacity;
        private Map<String, String> labels = Map.of();
        private String imageParameter;
        private int rootVolumeSize = 50;
        private Integer elasticIps;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name is required");
        }

        /** What the group's nodes do. @default WORKER */
        public Builder role(NodeRole role) { this.role = role; return this; }

        /** EC2 instance type; Graviton types get the arm64 image. @default t3.large */
        public Builder instanceType(String instanceType) { this.instanceType = instanceType; return this; }

        /** Minimum number of nodes. @default 1 */
        public Builder minSize(int minSize) { this.minSize = minSize; return this; }

        /** Maximum number of nodes. @default 3 */
        public Builder maxSize(int maxSize) { this.maxSize = maxSize; return this; }

        /**
         * Size set on every deploy; leave unset when an autoscaler manages the group.
         * @default none (the ASG starts at minSize)
         */
        public Builder desiredCapacity(Integer desired) { this.desiredCapacity = desired; return this; }

        /** Kubernetes labels for every node of the group. @default none */
        public Builder labels(Map<String, String> labels) { this.labels = labels; return this; }

        /**
         * SSM parameter holding the AMI id, resolved at deploy time.
         * @default /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-(x86_64|arm64)
         */
        public Builder imageParameter(String name) { this.imageParameter = name; return this; }

        /** Root volume in GiB, gp3 and encrypted. @default 50 */
        public Builder rootVolumeSize(int gib) { this.rootVolumeSize = gib; return this; }

        /**
         * Elastic IPs allocated for a load-balancer group, one per node it may run.
         * @default maxSize for load-balancer groups, 0 for workers
         */
        public Builder elasticIps(Integer count) { this.elasticIps = count; return this; }

        /** @return the group spec with defaults resolved (validated as part of {@link ClusterSpec}) */
        public MinionGroupSpec build() {
            int eips = elasticIps != null ? elasticIps : role == NodeRole.LOADBALANCER ? maxSize : 0;
            return new MinionGroupSpec(name, role, instanceType, minSize, maxSize, desiredCapacity,
                    labels == null ? Map.of() : labels, imageParameter, rootVolumeSize, eips);
        }
    }
}
