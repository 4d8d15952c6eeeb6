package io.kubecdk.spec;

import java.util.List;

/**
 * The control-plane node: one instance in an auto-scaling group of exactly one, behind a network
 * load balancer, with etcd on its own volume and backed up to S3.
 *
 * @param instanceType EC2 instance type
 * @param rootVolumeSize root volume size in GiB (gp3, encrypted)
 * @param etcdVolumeSize etcd volume size in GiB (gp3, encrypted)
 * @param imageParameter SSM parameter holding the AMI id, or {@code null} for Amazon Linux 2023
 * @param publicApi whether the API load balancer is internet-facing
 * @param apiAccessCidrs networks besides the VPC that may reach the API load balancer
 * @param bootGracePeriodMinutes minutes the ASG waits before load-balancer health checks count
 */
public record MasterSpec(String instanceType, int rootVolumeSize, int etcdVolumeSize, String imageParameter,
                         boolean publicApi, List<String> apiAccessCidrs, int bootGracePeriodMinutes) {

    /** Canonicalizes the list. */
    public MasterSpec {
        apiAccessCidrs = List.copyOf(apiAccessCidrs);
    }

    /** @return a builder with every default set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the master of a builder left at its defaults */
    public static MasterSpec defaults() {
        return builder().build();
    }

    /** Builds a {@link MasterSpec}. */
    public static final class Builder {
        private String instanceType = "t3.medium";
        private int rootVolumeSize = 30;
        private int etcdVolumeSize = 20;
        private String imageParameter;
        private boolean publicApi;
        private List<String> apiAccessCidrs;
        private int bootGracePeriodMinutes = 15;

        private Builder() { }

        /** EC2 instance type; Graviton types (e.g. m7g.large) get the arm64 image. @default t3.medium */
        public Builder instanceType(String instanceType) { this.instanceType = instanceType; return this; }

        /** Root volume in GiB, gp3 and encrypted. @default 30 */
        public Builder rootVolumeSize(int gib) { this.rootVolumeSize = gib; return this; }

        /** etcd data volume in GiB, gp3 and encrypted, mounted at /var/lib/etcd. @default 20 */
        public Builder etcdVolumeSize(int gib) { this.etcdVolumeSize = gib; return this; }

        /**
         * SSM parameter that holds the AMI id, resolved at deploy time.
         * @default /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-(x86_64|arm64)
         */
        public Builder imageParameter(String name) { this.imageParameter = name; return this; }

        /** Whether the API load balancer is internet-facing. @default false (internal) */
        public Builder publicApi(boolean publicApi) { this.publicApi = publicApi; return this; }

        /**
         * Networks besides the VPC allowed to reach the API on 6443.
         * @default 0.0.0.0/0 when the API is public, none when it is internal
         */
        public Builder apiAccessCidrs(List<String> cidrs) { this.apiAccessCidrs = cidrs; return this; }

        /** Minutes before load-balancer health checks may replace a booting master. @default 15 */
        public Builder bootGracePeriodMinutes(int minutes) { this.bootGracePeriodMinutes = minutes; return this; }

        /** @return the master spec with defaults resolved (validated as part of {@link ClusterSpec}) */
        public MasterSpec build() {
            List<String> access = apiAccessCidrs != null ? apiAccessCidrs
                    : publicApi ? List.of("0.0.0.0/0") : List.of();
            return new MasterSpec(instanceType, rootVolumeSize, etcdVolumeSize, imageParameter, publicApi, access,
                    bootGracePeriodMinutes);
        }
    }
}
