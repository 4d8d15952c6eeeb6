package com.example.platform;

import io.kubecdk.KubernetesCluster;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * A user's own stack, in a package of its own, that builds a cluster in a VPC it already has. This is
 * the README's import sample; it uses nothing but kubecdk's public API.
 */
public class PlatformStack extends Stack {
    private final KubernetesCluster cluster;

    public PlatformStack(Construct scope, String id) {
        super(scope, id, StackProps.builder()
                .env(Environment.builder().region("us-east-2").build())
                .build());
        Vpc vpc = Vpc.Builder.create(this, "SharedVpc")
                .ipAddresses(IpAddresses.cidr("172.16.0.0/16"))
                .availabilityZones(List.of("us-east-2a", "us-east-2b", "us-east-2c"))
                .natGateways(1)
                .flowLogs(Map.of("All", FlowLogOptions.builder().trafficType(FlowLogTrafficType.ALL).build()))
                .build();

        cluster = KubernetesCluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .spec(ClusterSpec.builder("platform")
                        .region("us-east-2")
                        .minionGroup(MinionGroupSpec.builder("workers").instanceType("m6i.large").maxSize(4).build())
                        .build())
                .build();
    }

    public KubernetesCluster getCluster() {
        return cluster;
    }
}
