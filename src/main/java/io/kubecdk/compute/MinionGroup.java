package io.kubecdk.compute;

import io.kubecdk.security.ClusterRoles;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.security.NagSuppression;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

import java.util.Objects;
import java.util.Optional;

/**
 * One group of minions: an auto-scaling group over the three AZs. Workers live in the private
 * subnets; a load-balancer group lives in the public subnets and gets an {@link ElasticIpPool}.
 */
public class MinionGroup extends Construct {
    private final MinionGroupSpec spec;
    private final LaunchTemplate launchTemplate;
    private final AutoScalingGroup autoScalingGroup;
    private final ElasticIpPool elasticIpPool;

    /**
     * @param scope the parent
     * @param id the construct id, {@code Minions-<name>} by convention
     * @param spec the group
     * @param vpc the cluster's VPC
     * @param securityGroup the group's nodes' security group
     * @param role the group's nodes' role
     * @param userData the rendered minion user-data
     * @param poolName the Elastic IP pool's tag value (used by load-balancer groups)
     */
    public MinionGroup(Construct scope, String id, MinionGroupSpec spec, IVpc vpc, ISecurityGroup securityGroup,
                       IRole role, String userData, String poolName) {
        super(scope, id);
        this.spec = Objects.requireNonNull(spec, "spec is required");
        Objects.requireNonNull(vpc, "vpc is required");
        boolean isPublic = spec.role() == NodeRole.LOADBALANCER;
        this.launchTemplate = NodeLaunchTemplate.create(this, spec.instanceType(), spec.imageParameter(),
                spec.rootVolumeSize(), 0, role, securityGroup, userData, isPublic);
        AutoScalingGroup.Builder group = AutoScalingGroup.Builder.create(this, "AutoScalingGroup")
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder()
                        .subnetType(isPublic ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS).build())
                .launchTemplate(launchTemplate)
                .minCapacity(spec.minSize())
                .maxCapacity(spec.maxSize());
        if (spec.desiredCapacity() != null) {
            group.desiredCapacity(spec.desiredCapacity());
        }
        this.autoScalingGroup = group.build();
        this.elasticIpPool = isPublic ? new ElasticIpPool(this, "ElasticIpPool", poolName, spec.elasticIps()) : null;
        NagSuppression.addTo(autoScalingGroup, false, NodeLaunchTemplate.NO_SCALING_NOTIFICATIONS);
        Tags.of(autoScalingGroup).add(ClusterRoles.ROLE_TAG, spec.role().id());
        Tags.of(autoScalingGroup).add(ClusterRoles.GROUP_TAG, spec.name());
        Tags.of(autoScalingGroup).add("Name", "minion-" + spec.name());
    }

    /** @return the group's spec */
    public MinionGroupSpec getSpec() {
        return spec;
    }

    /** @return the group's launch template */
    public LaunchTemplate getLaunchTemplate() {
        return launchTemplate;
    }

    /** @return the group's auto-scaling group */
    public AutoScalingGroup getAutoScalingGroup() {
        return autoScalingGroup;
    }

    /** @return the Elastic IP pool, for a load-balancer group */
    public Optional<ElasticIpPool> getElasticIpPool() {
        return Optional.ofNullable(elasticIpPool);
    }
}
