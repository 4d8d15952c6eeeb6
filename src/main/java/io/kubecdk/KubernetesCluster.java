package io.kubecdk;

import io.kubecdk.compute.MasterGroup;
import io.kubecdk.compute.MinionGroup;
import io.kubecdk.dns.ClusterDns;
import io.kubecdk.network.ClusterNetwork;
import io.kubecdk.security.ClusterRoles;
import io.kubecdk.security.ClusterSecurityRules;
import io.kubecdk.security.ClusterSecurityGroups;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.storage.ScriptBucket;
import io.kubecdk.userdata.NodeBootstrap;
import io.kubecdk.userdata.ScriptsBundle;
import io.kubecdk.userdata.UserDataRenderer;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.route53.PrivateHostedZone;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A self-managed Kubernetes cluster over three availability zones: the one construct an app needs.
 *
 * <p>It wires, in this order: the network (or the VPC you give), security groups, the scripts and
 * backups bucket, the private DNS zone, IAM roles, the master behind its API load balancer, each minion
 * group, and the DNS records of the API.
 *
 * <pre>{@code
 * KubernetesCluster cluster = KubernetesCluster.Builder.create(this, "Cluster")
 *         .spec(ClusterSpec.builder("prod")
 *                 .region("eu-west-1")
 *                 .minionGroup(MinionGroupSpec.builder("workers").maxSize(6).build())
 *                 .build())
 *         .build();
 * }</pre>
 */
public class KubernetesCluster extends Construct {
    private static final String UNTAGGED_LISTENER = "AWS::ElasticLoadBalancingV2::Listener";
    private final ClusterSpec spec;
    private final IVpc vpc;
    private final ClusterSecurityGroups securityGroups;
    private final ScriptBucket scriptBucket;
    private final ClusterDns dns;
    private final ClusterRoles roles;
    private final MasterGroup masterGroup;
    private final Map<String, MinionGroup> minionGroups = new LinkedHashMap<>();
    private final Optional<String> publicApiHostName;

    /**
     * Use {@link Builder#create(Construct, String)}.
     *
     * @param scope the parent
     * @param id the construct id
     * @param spec the validated cluster spec
     * @param existingVpc a VPC to build in, or {@code null} to create the cluster's own
     */
    protected KubernetesCluster(Construct scope, String id, ClusterSpec spec, IVpc existingVpc) {
        super(scope, id);
        this.spec = Objects.requireNonNull(spec, "spec is required");
        this.vpc = existingVpc != null ? existingVpc
                : new ClusterNetwork(this, "Network", spec.network(), spec.availabilityZones()).getVpc();
        this.securityGroups = new ClusterSecurityGroups(this, "SecurityGroups", vpc,
                existingVpc == null ? spec.network().vpcCidr() : null, spec.master(),
                spec.kubernetes().podNetwork(), spec.access());
        ScriptsBundle bundle = ScriptsBundle.fromClassPath();
        this.scriptBucket = new ScriptBucket(this, "ScriptBucket", spec.bucket(), bundle);
        this.dns = new ClusterDns(this, "Dns", spec.environment(), vpc, spec.dns());
        this.roles = new ClusterRoles(this, "Roles", spec.environment(), scriptBucket.getBucket(), dns.getPrivateZone());
        NodeBootstrap bootstrap = new NodeBootstrap(spec, scriptBucket.getBucket().getBucketName(),
                dns.getPrivateZone().getHostedZoneId(), bundle, MasterGroup.ETCD_DEVICE);
        this.masterGroup = new MasterGroup(this, "MasterGroup", spec.master(), vpc, securityGroups,
                roles.getMasterRole(), UserDataRenderer.render(bootstrap.master()));
        for (MinionGroupSpec group : spec.minionGroups()) {
            minionGroups.put(group.name(), createMinionGroup(group, bootstrap));
        }
        this.publicApiHostName = dns.aliasMaster(masterGroup.getLoadBalancer());
        tagEverything();
    }

    private MinionGroup createMinionGroup(MinionGroupSpec group, NodeBootstrap bootstrap) {
        String pool = roles.poolName(group);
        SecurityGroup sg = group.role() == NodeRole.LOADBALANCER
                ? securityGroups.getLoadBalancerMinion() : securityGroups.getMinion();
        return new MinionGroup(this, "Minions-" + group.name(), group, vpc, sg, roles.minionRole(group),
                UserDataRenderer.render(bootstrap.minion(group, pool)), pool);
    }

    private void tagEverything() {
        // aws-cdk-lib tags ELBv2 listeners, but the listener's resource schema that cfn-lint checks
        // against has no Tags (lint error E3002); a listener's tags serve nothing, and the load
        // balancer and target group carry them.
        TagProps props = TagProps.builder().excludeResourceTypes(List.of(UNTAGGED_LISTENER)).build();
        Tags.of(this).add("Environment", spec.environment(), props);
        Tags.of(this).add(ClusterRoles.ENVIRONMENT_TAG, spec.environment(), props);
        Tags.of(this).add("kubernetes.io/cluster/" + spec.clusterName(), "owned", props);
    }

    /** @return the spec this cluster was built from */
    public ClusterSpec getSpec() {
        return spec;
    }

    /** @return the VPC: the cluster's own or the one given */
    public IVpc getVpc() {
        return vpc;
    }

    /** @return the Kubernetes API's network load balancer */
    public NetworkLoadBalancer getMasterLoadBalancer() {
        return masterGroup.getLoadBalancer();
    }

    /** @return the master's group (load balancer, launch template, auto-scaling group) */
    public MasterGroup getMasterGroup() {
        return masterGroup;
    }

    /**
     * @param name a minion group's name
     * @return that group
     * @throws IllegalArgumentException when the spec has no such group
     */
    public MinionGroup getMinionGroup(String name) {
        MinionGroup group = minionGroups.get(name);
        if (group == null) {
            throw new IllegalArgumentException("no minion group '" + name + "'; groups: " + minionGroups.keySet());
        }
        return group;
    }

    /** @return every minion group by name, in spec order */
    public Map<String, MinionGroup> getMinionGroups() {
        return java.util.Collections.unmodifiableMap(minionGroups);
    }

    /** @return the bucket of scripts, join data and etcd backups */
    public Bucket getScriptBucket() {
        return scriptBucket.getBucket();
    }

    /**
     * @return the SHA-256 of the node scripts bundle, which names its S3 prefix and is written into every
     *         user-data; it changes with every script, so snapshot tests mask it
     */
    public String getScriptsBundleHash() {
        return scriptBucket.getBundle().hash();
    }

    /** @return the private zone {@code <env>.kube} */
    public PrivateHostedZone getPrivateZone() {
        return dns.getPrivateZone();
    }

    /** @return the cluster's security groups */
    public ClusterSecurityGroups getSecurityGroups() {
        return securityGroups;
    }

    /** @return the node roles */
    public ClusterRoles getRoles() {
        return roles;
    }

    /**
     * kubecdk's security rules, configured for this cluster: public ingress is allowed only to the API
     * load balancer's port 6443 when {@code master.publicApi} is on, to the load-balancer minions' ports 80
     * and 443, and to SSH when the spec acknowledges {@code access.allowSshFromAnywhere}. Add it to the
     * stack with {@code Aspects.of(stack).add(cluster.securityRules())}; {@link ClusterStack} does.
     *
     * @return a new aspect
     */
    public ClusterSecurityRules securityRules() {
        ClusterSecurityRules.Builder rules = ClusterSecurityRules.builder();
        if (spec.master().publicApi()) {
            rules.allowPublicIngress(securityGroups.getApiLoadBalancer(), ClusterSecurityGroups.API_PORT);
        }
        rules.allowPublicIngress(securityGroups.getLoadBalancerMinion(), ClusterSecurityGroups.HTTP_PORT);
        rules.allowPublicIngress(securityGroups.getLoadBalancerMinion(), ClusterSecurityGroups.HTTPS_PORT);
        if (spec.access().allowSshFromAnywhere()) {
            securityGroups.nodeGroups().forEach(group -> rules.allowPublicIngress(group, ClusterSecurityGroups.SSH_PORT));
        }
        return rules.build();
    }

    /** @return the API's URL inside the VPC, {@code https://master.<env>.kube:6443} */
    public String getApiEndpoint() {
        return "https://" + spec.apiHostName() + ":" + ClusterSecurityGroups.API_PORT;
    }

    /** @return the API's URL in the public zone, when the spec names one */
    public Optional<String> getPublicApiEndpoint() {
        return publicApiHostName.map(name -> "https://" + name + ":" + ClusterSecurityGroups.API_PORT);
    }

    /** Builds a {@link KubernetesCluster}, in the style of aws-cdk-lib's constructs. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private ClusterSpec spec;
        private IVpc vpc;

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        /**
         * @param scope the parent
         * @param id the construct id; keep it stable, it prefixes every logical id
         * @return a new builder
         */
        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        /** The validated cluster spec. Required. */
        public Builder spec(ClusterSpec spec) { this.spec = spec; return this; }

        /**
         * An existing VPC with three public and three private (with egress) subnets to build in; the
         * spec's network settings are then unused, and the VPC's subnets are not tagged for Kubernetes
         * (tag them where the VPC is defined).
         * @default a new VPC from the spec's network
         */
        public Builder vpc(IVpc vpc) { this.vpc = vpc; return this; }

        /** @return the cluster */
        public KubernetesCluster build() {
            return new KubernetesCluster(scope, id, Objects.requireNonNull(spec, "spec is required"), vpc);
        }
    }
}
