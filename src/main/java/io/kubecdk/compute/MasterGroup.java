package io.kubecdk.compute;

import io.kubecdk.security.ClusterRoles;
import io.kubecdk.security.ClusterSecurityGroups;
import io.kubecdk.spec.MasterSpec;
import software.amazon.awscdk.Duration;
import io.kubecdk.security.NagSuppression;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthCheckType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddNetworkTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseNetworkListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.Protocol;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

import java.util.List;
import java.util.Objects;

/**
 * The control plane: a network load balancer (internet-facing or internal) with a TCP 6443 listener
 * that health-checks the API's {@code /readyz}, and an auto-scaling group of exactly one master over
 * the three private subnets. When the master dies, the group replaces it; the new one restores etcd
 * from the newest backup before it starts.
 */
public class MasterGroup extends Construct {
    /** Device name of the master's separate etcd volume. */
    public static final String ETCD_DEVICE = "/dev/sdf";

    private final NetworkLoadBalancer loadBalancer;
    private final LaunchTemplate launchTemplate;
    private final AutoScalingGroup autoScalingGroup;

    /**
     * @param scope the parent
     * @param id the construct id
     * @param spec the master
     * @param vpc the cluster's VPC
     * @param securityGroups the cluster's security groups
     * @param role the masters' role
     * @param userData the rendered master user-data
     */
    public MasterGroup(Construct scope, String id, MasterSpec spec, IVpc vpc, ClusterSecurityGroups securityGroups,
                       IRole role, String userData) {
        super(scope, id);
        Objects.requireNonNull(spec, "spec is required");
        Objects.requireNonNull(vpc, "vpc is required");
        this.loadBalancer = createLoadBalancer(spec, vpc, securityGroups);
        this.launchTemplate = NodeLaunchTemplate.create(this, spec.instanceType(), spec.imageParameter(),
                spec.rootVolumeSize(), spec.etcdVolumeSize(), role, securityGroups.getMaster(), userData, false);
        this.autoScalingGroup = createGroup(spec, vpc);
        registerWithLoadBalancer();
        NagSuppression.addTo(autoScalingGroup, false, NodeLaunchTemplate.NO_SCALING_NOTIFICATIONS);
        Tags.of(autoScalingGroup).add(ClusterRoles.ROLE_TAG, "master");
        Tags.of(autoScalingGroup).add("Name", id.toLowerCase(java.util.Locale.ROOT));
    }

    /** @return the API load balancer */
    public NetworkLoadBalancer getLoadBalancer() {
        return loadBalancer;
    }

    /** @return the master's launch template */
    public LaunchTemplate getLaunchTemplate() {
        return launchTemplate;
    }

    /** @return the master's auto-scaling group (min = max = 1) */
    public AutoScalingGroup getAutoScalingGroup() {
        return autoScalingGroup;
    }

    private NetworkLoadBalancer createLoadBalancer(MasterSpec spec, IVpc vpc, ClusterSecurityGroups groups) {
        NetworkLoadBalancer nlb = NetworkLoadBalancer.Builder.create(this, "ApiLoadBalancer")
                .vpc(vpc)
                .internetFacing(spec.publicApi())
                .vpcSubnets(SubnetSelection.builder()
                        .subnetType(spec.publicApi() ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(groups.getApiLoadBalancer()))
                .crossZoneEnabled(true)
                .build();
        NagSuppression.addTo(nlb, false, NagSuppression.of("AwsSolutions-ELB2",
                "A network load balancer writes access logs only for TLS listeners; the API listener is TCP "
                        + "pass-through (TLS ends at the API server), so there would be no log. Connections are "
                        + "recorded by the VPC flow logs, and requests by the API server's audit log."));
        return nlb;
    }

    private AutoScalingGroup createGroup(MasterSpec spec, IVpc vpc) {
        return AutoScalingGroup.Builder.create(this, "AutoScalingGroup")
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .launchTemplate(launchTemplate)
                // min = max = 1 holds the size at one; a DesiredCapacity would only reset it on each deploy.
                .minCapacity(1)
                .maxCapacity(1)
                .healthChecks(HealthChecks.withAdditionalChecks(AdditionalHealthChecksOptions.builder()
                        .additionalTypes(List.of(AdditionalHealthCheckType.ELB))
                        .gracePeriod(Duration.minutes(spec.bootGracePeriodMinutes()))
                        .build()))
                .build();
    }

    private void registerWithLoadBalancer() {
        NetworkListener listener = loadBalancer.addListener("Api", BaseNetworkListenerProps.builder()
                .port(ClusterSecurityGroups.API_PORT).protocol(Protocol.TCP).build());
        listener.addTargets("Masters", AddNetworkTargetsProps.builder()
                .port(ClusterSecurityGroups.API_PORT)
                .protocol(Protocol.TCP)
                .targets(List.of(autoScalingGroup))
                .deregistrationDelay(Duration.seconds(30))
                // The master reaches its own API through this load balancer (kubeadm's control-plane
                // endpoint); with client IPs preserved such hairpin connections are dropped.
                .preserveClientIp(false)
                .healthCheck(HealthCheck.builder()
                        .protocol(Protocol.HTTPS)
                        .path("/readyz")
                        .port(String.valueOf(ClusterSecurityGroups.API_PORT))
                        .interval(Duration.seconds(10))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                .build());
    }
}
