package io.kubecdk.network;

import io.kubecdk.spec.NetworkSpec;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The cluster's VPC: one public and one private subnet in each of three availability zones, an
 * internet gateway, NAT gateways (one per AZ or one shared), a route table per subnet, and flow logs.
 * Public subnets carry {@code kubernetes.io/role/elb}, private ones {@code kubernetes.io/role/internal-elb},
 * so Kubernetes places load balancers where they belong.
 */
public class ClusterNetwork extends Construct {
    private final Vpc vpc;

    /**
     * @param scope the parent
     * @param id the construct id (stable: it prefixes every logical id of the network)
     * @param network the VPC layout
     * @param availabilityZones the three zones, given so that synthesis needs no lookup
     */
    public ClusterNetwork(Construct scope, String id, NetworkSpec network, List<String> availabilityZones) {
        super(scope, id);
        Objects.requireNonNull(network, "network is required");
        Objects.requireNonNull(availabilityZones, "availabilityZones is required");
        this.vpc = createVpc(network, availabilityZones);
        tagSubnetsForKubernetes();
        acknowledgeNamedZones();
        if (network.flowLogs()) {
            createFlowLogs(network.flowLogRetentionDays());
        }
    }

    /** @return the VPC */
    public Vpc getVpc() {
        return vpc;
    }

    private Vpc createVpc(NetworkSpec network, List<String> availabilityZones) {
        return Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(network.vpcCidr()))
                .availabilityZones(availabilityZones)
                .natGateways(network.natGateways())
                .enableDnsHostnames(true)
                .enableDnsSupport(true)
                // Restricting the default security group needs a Lambda-backed custom resource; the
                // cluster never uses the default group, every resource gets its own.
                .restrictDefaultSecurityGroup(false)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("Public").subnetType(SubnetType.PUBLIC)
                                .cidrMask(network.publicSubnetMask()).mapPublicIpOnLaunch(false).build(),
                        SubnetConfiguration.builder().name("Private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(network.privateSubnetMask()).build()))
                .build();
    }

    private void tagSubnetsForKubernetes() {
        vpc.getPublicSubnets().forEach(s -> Tags.of(s).add("kubernetes.io/role/elb", "1"));
        vpc.getPrivateSubnets().forEach(s -> Tags.of(s).add("kubernetes.io/role/internal-elb", "1"));
    }

    /**
     * The subnets name their zones on purpose: the spec lists them so that synthesis needs no lookup
     * and the cluster lands in the zones its operators chose. cfn-lint's W3010 (hard-coded
     * availability zone) is therefore acknowledged on each subnet, next to the resource.
     */
    private void acknowledgeNamedZones() {
        Stream.concat(vpc.getPublicSubnets().stream(), vpc.getPrivateSubnets().stream())
                .map(subnet -> (CfnResource) subnet.getNode().getDefaultChild())
                .forEach(subnet -> subnet.addMetadata("cfn-lint",
                        Map.of("config", Map.of("ignore_checks", List.of("W3010")))));
    }

    private void createFlowLogs(int retentionDays) {
        LogGroup logGroup = LogGroup.Builder.create(this, "FlowLogs")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // Escape hatch: the L2 takes retention as an enum of names; the spec holds the day count
        // (already checked against the values CloudWatch Logs accepts).
        ((CfnLogGroup) logGroup.getNode().getDefaultChild()).setRetentionInDays(retentionDays);
        vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(logGroup))
                .trafficType(FlowLogTrafficType.ALL)
                .build());
    }
}
