package io.kubecdk.security;

import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.spec.BucketSpec;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IManagedPolicy;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * IAM roles of the nodes, scoped by ARN to this cluster's own resources:
 * <ul>
 *   <li>all nodes: read the scripts bundle, change records of the private zone only, describe EC2,
 *       and Session Manager (instead of SSH) as the way in;</li>
 *   <li>masters: also read and write etcd backups and publish join data;</li>
 *   <li>minions: also read join data;</li>
 *   <li>load-balancer minions: also associate addresses of their own group's Elastic IP pool.</li>
 * </ul>
 * Workers share one role; each load-balancer group has its own, since each has its own pool.
 * The launch templates make an instance profile for each role.
 */
public class ClusterRoles extends Construct {
    /** Tag on an Elastic IP naming the pool it belongs to. */
    public static final String EIP_POOL_TAG = "kubecdk:eip-pool";
    /** Tag on an instance naming its minion group. */
    public static final String GROUP_TAG = "kubecdk:group";
    /** Tag on every resource naming its environment. */
    public static final String ENVIRONMENT_TAG = "kubecdk:environment";
    /** Tag on an instance naming its node role: master, worker or loadbalancer. */
    public static final String ROLE_TAG = "kubecdk:role";

    private final IBucket bucket;
    private final IHostedZone privateZone;
    private final String environment;
    private final Role master;
    private final Map<String, Role> minionRoles = new HashMap<>();

    /**
     * @param scope the parent
     * @param id the construct id
     * @param environment the environment's name, which scopes tag conditions
     * @param bucket the scripts, join data and backups bucket
     * @param privateZone the zone nodes register themselves in
     */
    public ClusterRoles(Construct scope, String id, String environment, IBucket bucket, IHostedZone privateZone) {
        super(scope, id);
        this.environment = Objects.requireNonNull(environment, "environment is required");
        this.bucket = Objects.requireNonNull(bucket, "bucket is required");
        this.privateZone = Objects.requireNonNull(privateZone, "privateZone is required");
        this.master = nodeRole("MasterRole", "Kubernetes masters of " + environment);
        readObjects(master, BucketSpec.SCRIPTS_PREFIX, BucketSpec.BACKUP_PREFIX, BucketSpec.JOIN_PREFIX);
        master.addToPolicy(PolicyStatement.Builder.create().sid("WriteBackupsAndJoinData")
                .actions(List.of("s3:PutObject", "s3:PutObjectTagging", "s3:GetObjectTagging"))
                .resources(List.of(bucket.arnForObjects(BucketSpec.BACKUP_PREFIX + "*"),
                        bucket.arnForObjects(BucketSpec.JOIN_PREFIX + "*")))
                .build());
    }

    /** @return the masters' role */
    public Role getMasterRole() {
        return master;
    }

    /**
     * @param group a minion group
     * @return the role of its nodes: the shared worker role, or the group's own for load-balancer groups
     */
    public Role minionRole(MinionGroupSpec group) {
        String key = group.role() == NodeRole.LOADBALANCER ? group.name() : "";
        return minionRoles.computeIfAbsent(key, k -> k.isEmpty() ? createWorkerRole() : createLoadBalancerRole(group));
    }

    private Role createWorkerRole() {
        Role role = nodeRole("WorkerRole", "Kubernetes worker minions of " + environment);
        readObjects(role, BucketSpec.SCRIPTS_PREFIX, BucketSpec.JOIN_PREFIX);
        return role;
    }

    private Role createLoadBalancerRole(MinionGroupSpec group) {
        Role role = nodeRole("Role-" + group.name(), "Kubernetes load-balancer minions " + group.name() + " of "
                + environment);
        readObjects(role, BucketSpec.SCRIPTS_PREFIX, BucketSpec.JOIN_PREFIX);
        Stack stack = Stack.of(this);
        String ec2Arn = "arn:" + stack.getPartition() + ":ec2:" + stack.getRegion() + ":" + stack.getAccount() + ":";
        role.addToPolicy(PolicyStatement.Builder.create().sid("AssociateOwnPoolAddresses")
                .actions(List.of("ec2:AssociateAddress"))
                .resources(List.of(ec2Arn + "elastic-ip/*"))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceTag/" + EIP_POOL_TAG, poolName(group))))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create().sid("AssociateToOwnInstances")
                .actions(List.of("ec2:AssociateAddress"))
                .resources(List.of(ec2Arn + "instance/*"))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceTag/" + GROUP_TAG, group.name(),
                        "aws:ResourceTag/" + ENVIRONMENT_TAG, environment)))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create().sid("AssociateOnNetworkInterfaces")
                .actions(List.of("ec2:AssociateAddress"))
                .resources(List.of(ec2Arn + "network-interface/*"))
                .build());
        NagSuppression.addTo(role, true, NagSuppression.of("AwsSolutions-IAM5",
                "ec2:AssociateAddress authorizes against the address, the instance and its network "
                        + "interface. Addresses are limited by the condition aws:ResourceTag/" + EIP_POOL_TAG + "="
                        + poolName(group) + " and instances by aws:ResourceTag/" + GROUP_TAG + "=" + group.name()
                        + " plus the environment tag; their ids are unknown before launch, hence the wildcard. The "
                        + "primary network interface of a launched instance carries no tags to condition on, and the "
                        + "two conditioned statements already bind the call to this group's pool and instances.")
                .appliesToPattern(ec2Wildcard("elastic-ip"))
                .appliesToPattern(ec2Wildcard("instance"))
                .appliesToPattern(ec2Wildcard("network-interface")));
        return role;
    }

    private static String ec2Wildcard(String resourceType) {
        return "/^Resource::arn:<AWS::Partition>:ec2:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]{12}):"
                + resourceType + "\\/\\*$/";
    }

    /**
     * @param group a load-balancer group
     * @return the value of {@link #EIP_POOL_TAG} on its addresses
     */
    public String poolName(MinionGroupSpec group) {
        return environment + "-" + group.name();
    }

    private Role nodeRole(String id, String description) {
        IManagedPolicy ssm = ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore");
        Role role = Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description(description)
                .managedPolicies(List.of(ssm))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create().sid("DescribeEc2")
                .actions(List.of("ec2:DescribeInstances", "ec2:DescribeAddresses", "ec2:DescribeTags"))
                // Describe actions support no resource-level scoping.
                .resources(List.of("*"))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create().sid("RegisterInPrivateZone")
                .actions(List.of("route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"))
                .resources(List.of(privateZone.getHostedZoneArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create().sid("WatchRecordChanges")
                .actions(List.of("route53:GetChange"))
                .resources(List.of("arn:" + Stack.of(this).getPartition() + ":route53:::change/*"))
                .build());
        NagSuppression.addTo(role, true,
                NagSuppression.of("AwsSolutions-IAM4",
                        "AmazonSSMManagedInstanceCore is the policy AWS maintains for the SSM agent, which "
                                + "gives Session Manager, the only way into a node (SSH is closed unless "
                                + "access.sshCidrs opens it). AWS updates it as the agent changes; its ssmmessages "
                                + "and ec2messages actions support no resource-level scoping, so an inline copy "
                                + "would be no narrower, only stale.")
                        .appliesTo("Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore"),
                NagSuppression.of("AwsSolutions-IAM5",
                        "Read-only ec2:DescribeInstances, ec2:DescribeAddresses and ec2:DescribeTags support "
                                + "no resource-level permissions, so their resource must be '*'. (statement DescribeEc2)")
                        .appliesTo("Resource::*"),
                NagSuppression.of("AwsSolutions-IAM5",
                        "route53:GetChange (read-only) polls the change a node's own record update "
                                + "returned; change ids are only known at run time. (statement WatchRecordChanges)")
                        .appliesTo("Resource::arn:<AWS::Partition>:route53:::change/*"));
        return role;
    }

    private void readObjects(Role role, String... prefixes) {
        List<String> objects = java.util.Arrays.stream(prefixes).map(p -> bucket.arnForObjects(p + "*")).toList();
        List<String> listPrefixes = java.util.Arrays.stream(prefixes).map(p -> p + "*").toList();
        role.addToPolicy(PolicyStatement.Builder.create().sid("ReadClusterObjects").effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject")).resources(objects).build());
        role.addToPolicy(PolicyStatement.Builder.create().sid("ListClusterObjects").effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket")).resources(List.of(bucket.getBucketArn()))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", listPrefixes))).build());
        NagSuppression objectAccess = NagSuppression.of("AwsSolutions-IAM5",
                "Object access is limited to the cluster bucket's key prefixes " + String.join(", ", prefixes)
                        + "; the keys under them are made at run time (content-addressed bundle files, join data, "
                        + "timestamped etcd backups), so a prefix wildcard is the narrowest grant.");
        for (String prefix : prefixes) {
            objectAccess = objectAccess.appliesToPattern(
                    "/^Resource::<[A-Za-z0-9]+\\.Arn>\\/" + prefix.replace("/", "\\/") + "\\*$/");
        }
        NagSuppression.addTo(role, true, objectAccess);
    }
}
