package io.kubecdk.spec;

/**
 * The cluster's own VPC: one public and one private subnet in each of the three availability zones.
 *
 * @param vpcCidr the VPC's IPv4 block
 * @param natGateways how many NAT gateways serve the private subnets: 3 (one per AZ) or 1 (shared)
 * @param publicSubnetMask prefix length of each public subnet
 * @param privateSubnetMask prefix length of each private subnet
 * @param flowLogs whether VPC flow logs go to CloudWatch Logs
 * @param flowLogRetentionDays how long flow logs are kept
 */
public record NetworkSpec(String vpcCidr, int natGateways, int publicSubnetMask, int privateSubnetMask,
                          boolean flowLogs, int flowLogRetentionDays) {

    /** @return a builder with every default set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the network of a builder left at its defaults */
    public static NetworkSpec defaults() {
        return builder().build();
    }

    /** Builds a {@link NetworkSpec}. */
    public static final class Builder {
        private String vpcCidr = "10.0.0.0/16";
        private int natGateways = 3;
        private int publicSubnetMask = 24;
        private int privateSubnetMask = 20;
        private boolean flowLogs = true;
        private int flowLogRetentionDays = 90;

        private Builder() { }

        /** The VPC's IPv4 block; it must hold six subnets. @default 10.0.0.0/16 */
        public Builder vpcCidr(String vpcCidr) { this.vpcCidr = vpcCidr; return this; }

        /** NAT gateways: 3 for one per AZ (an AZ outage keeps egress elsewhere), 1 to save cost. @default 3 */
        public Builder natGateways(int natGateways) { this.natGateways = natGateways; return this; }

        /** Prefix length of each public subnet. @default 24 */
        public Builder publicSubnetMask(int mask) { this.publicSubnetMask = mask; return this; }

        /** Prefix length of each private subnet, where nodes live. @default 20 */
        public Builder privateSubnetMask(int mask) { this.privateSubnetMask = mask; return this; }

        /** Whether VPC flow logs (all traffic) go to a CloudWatch log group. @default true */
        public Builder flowLogs(boolean flowLogs) { this.flowLogs = flowLogs; return this; }

        /** Days flow logs are kept. @default 90 */
        public Builder flowLogRetentionDays(int days) { this.flowLogRetentionDays = days; return this; }

        /** @return the network spec (validated as part of {@link ClusterSpec}) */
        public NetworkSpec build() {
            return new NetworkSpec(vpcCidr, natGateways, publicSubnetMask, privateSubnetMask, flowLogs, flowLogRetentionDays);
        }
    }
}
