package io.kubecdk.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that describes one environment's cluster: immutable, validated, and free of CDK types,
 * so it can be checked in milliseconds before any construct is made.
 *
 * <p>Build one with {@link #builder(String)}; {@link Builder#build()} resolves defaults, validates the
 * whole spec and throws {@link InvalidSpecException} listing every problem.
 *
 * @param environment the environment's name (a DNS label), e.g. {@code prod}
 * @param clusterName the Kubernetes cluster's name, used in the {@code kubernetes.io/cluster/} tag
 * @param region the AWS region
 * @param account the AWS account id, or {@code null} for an account-agnostic stack
 * @param availabilityZones the three availability zones, in order
 * @param network the VPC
 * @param kubernetes the Kubernetes version and addressing
 * @param master the control-plane node
 * @param minionGroups the worker groups
 * @param dns the public zone, if any
 * @param bucket the scripts and backups bucket
 * @param access how operators reach nodes
 */
public record ClusterSpec(String environment, String clusterName, String region, String account,
                          List<String> availabilityZones, NetworkSpec network, KubernetesSpec kubernetes,
                          MasterSpec master, List<MinionGroupSpec> minionGroups, DnsSpec dns, BucketSpec bucket,
                          AccessSpec access) {

    /** Canonicalizes the lists. */
    public ClusterSpec {
        availabilityZones = List.copyOf(availabilityZones);
        minionGroups = List.copyOf(minionGroups);
    }

    /**
     * @param environment the environment's name, e.g. {@code dev}; names the private zone {@code <env>.kube}
     * @return a builder with every other default set
     */
    public static Builder builder(String environment) {
        return new Builder(environment);
    }

    /** @return the private hosted zone's name, {@code <env>.kube} */
    public String privateZoneName() {
        return environment + ".kube";
    }

    /** @return the stable API host name nodes join through, {@code master.<env>.kube} */
    public String apiHostName() {
        return "master." + privateZoneName();
    }

    /** @return the account id, when the stack is bound to one */
    public Optional<String> accountId() {
        return Optional.ofNullable(account);
    }

    /**
     * @param name a group's name
     * @return that minion group, if the spec has it
     */
    public Optional<MinionGroupSpec> minionGroup(String name) {
        return minionGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Builds a {@link ClusterSpec}. */
    public static final class Builder {
        private final String environment;
        private String clusterName;
        private String region = "us-east-1";
        private String account;
        private List<String> availabilityZones;
        private NetworkSpec network = NetworkSpec.defaults();
        private KubernetesSpec kubernetes = KubernetesSpec.defaults();
        private MasterSpec master = MasterSpec.defaults();
        private final List<MinionGroupSpec> minionGroups = new ArrayList<>();
        private DnsSpec dns = DnsSpec.privateOnly();
        private BucketSpec bucket = BucketSpec.defaults();
        private AccessSpec access = AccessSpec.sessionManagerOnly();

        private Builder(String environment) {
            this.environment = Objects.requireNonNull(environment, "environment is required");
        }

        /** Kubernetes cluster name, used in the {@code kubernetes.io/cluster/<name>} tag. @default kubecdk-&lt;environment&gt; */
        public Builder clusterName(String name) { this.clusterName = name; return this; }

        /** AWS region of the stack. @default us-east-1 */
        public Builder region(String region) { this.region = region; return this; }

        /** AWS account id; leave unset for an account-agnostic stack. @default none */
        public Builder account(String account) { this.account = account; return this; }

        /**
         * The three availability zones, given explicitly so that synthesis needs no AWS lookup.
         * @default the region's zones a, b and c
         */
        public Builder availabilityZones(List<String> zones) { this.availabilityZones = zones; return this; }

        /** The VPC layout. @default {@link NetworkSpec#defaults()} */
        public Builder network(NetworkSpec network) { this.network = network; return this; }

        /** Kubernetes version, pod network and address ranges. @default {@link KubernetesSpec#defaults()} */
        public Builder kubernetes(KubernetesSpec kubernetes) { this.kubernetes = kubernetes; return this; }

        /** The control-plane node. @default {@link MasterSpec#defaults()} */
        public Builder master(MasterSpec master) { this.master = master; return this; }

        /** Adds a minion group. @default no groups */
        public Builder minionGroup(MinionGroupSpec group) { this.minionGroups.add(group); return this; }

        /** Adds minion groups in order. @default no groups */
        public Builder minionGroups(List<MinionGroupSpec> groups) { this.minionGroups.addAll(groups); return this; }

        /** The public zone for {@code master.<env>.<domain>}. @default {@link DnsSpec#privateOnly()} */
        public Builder dns(DnsSpec dns) { this.dns = dns; return this; }

        /** The scripts and backups bucket. @default {@link BucketSpec#defaults()} */
        public Builder bucket(BucketSpec bucket) { this.bucket = bucket; return this; }

        /** Operator access. @default {@link AccessSpec#sessionManagerOnly()} */
        public Builder access(AccessSpec access) { this.access = access; return this; }

        /**
         * Resolves defaults and validates, naming fields from {@code cluster}.
         *
         * @return the spec
         * @throws InvalidSpecException listing every problem found
         */
        public ClusterSpec build() {
            return build("cluster");
        }

        /**
         * Resolves defaults and validates, naming fields from the given root, e.g.
         * {@code environments.prod}, so messages point where the user wrote the value.
         *
         * @param rootPath the path of this spec in the user's input
         * @return the spec
         * @throws InvalidSpecException listing every problem found
         */
        public ClusterSpec build(String rootPath) {
            ClusterSpec spec = resolve();
            List<SpecProblem> problems = new SpecValidator(rootPath).problems(spec);
            if (!problems.isEmpty()) {
                throw new InvalidSpecException(problems);
            }
            return spec;
        }

        private ClusterSpec resolve() {
            List<String> zones = availabilityZones != null ? availabilityZones
                    : List.of(region + "a", region + "b", region + "c");
            String name = clusterName != null ? clusterName : "kubecdk-" + environment;
            return new ClusterSpec(environment, name, region, account, zones, network, kubernetes, master,
                    minionGroups, dns, bucket, access);
        }
    }
}
