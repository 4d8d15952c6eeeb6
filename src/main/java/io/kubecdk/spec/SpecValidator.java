package io.kubecdk.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a resolved {@link ClusterSpec} and reports every problem with its field path, the value
 * given and what is allowed. It knows nothing of CDK: what it accepts must synthesize and deploy.
 */
public final class SpecValidator {
    /** Oldest Kubernetes minor release the scripts support. */
    public static final int MIN_MINOR = 31;
    /** Newest Kubernetes minor release the scripts support. */
    public static final int MAX_MINOR = 35;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern ZONE_ID = Pattern.compile("Z[A-Z0-9]{1,31}");
    private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern LABEL_KEY = Pattern.compile(
            "(([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final int MAX_ENVIRONMENT_LENGTH = 20;
    private static final int MAX_GROUP_NAME_LENGTH = 20;

    private final String root;
    private final List<SpecProblem> problems = new ArrayList<>();

    /** @param root the path of the spec in the user's input, e.g. {@code environments.prod} */
    public SpecValidator(String root) {
        this.root = root;
    }

    /**
     * @param spec a resolved spec
     * @return every problem found, empty when the spec is valid
     */
    public List<SpecProblem> problems(ClusterSpec spec) {
        problems.clear();
        checkIdentity(spec);
        Optional<Cidr> vpc = checkNetwork(spec.network());
        checkKubernetes(spec.kubernetes(), vpc);
        checkMaster(spec.master());
        checkMinionGroups(spec.minionGroups());
        checkDns(spec.dns());
        checkBucket(spec.bucket());
        checkAccess(spec.access());
        return List.copyOf(problems);
    }

    private void checkIdentity(ClusterSpec spec) {
        dnsLabel("environment", spec.environment(), MAX_ENVIRONMENT_LENGTH);
        if (!spec.clusterName().equals("kubecdk-" + spec.environment())) {
            dnsLabel("clusterName", spec.clusterName(), 63);
        }
        if (!REGION.matcher(spec.region()).matches()) {
            problem("region", spec.region(), "must be an AWS region such as us-east-1");
        }
        if (spec.account() != null && !ACCOUNT.matcher(spec.account()).matches()) {
            problem("account", spec.account(), "must be a 12-digit AWS account id");
        }
        List<String> zones = spec.availabilityZones();
        if (zones.size() != 3) {
            problem("availabilityZones", zones, "must list exactly 3 availability zones, found " + zones.size());
        }
        if (new HashSet<>(zones).size() != zones.size()) {
            problem("availabilityZones", zones, "must be distinct");
        }
        for (int i = 0; i < zones.size(); i++) {
            String zone = zones.get(i);
            if (zone == null || !zone.matches(Pattern.quote(spec.region()) + "[a-z]")) {
                problem("availabilityZones[" + i + "]", zone, "must be a zone of region " + spec.region()
                        + ", such as " + spec.region() + "a");
            }
        }
    }

    private Optional<Cidr> checkNetwork(NetworkSpec network) {
        Optional<Cidr> vpc = cidr("network.vpcCidr", network.vpcCidr());
        if (network.natGateways() != 1 && network.natGateways() != 3) {
            problem("network.natGateways", network.natGateways(), "must be 3 (one per AZ) or 1 (shared)");
        }
        int pub = network.publicSubnetMask();
        int priv = network.privateSubnetMask();
        between("network.publicSubnetMask", pub, 16, 28);
        between("network.privateSubnetMask", priv, 16, 28);
        boolean masksInRange = pub >= 16 && pub <= 28 && priv >= 16 && priv <= 28;
        if (vpc.isPresent() && (vpc.get().prefix() < 16 || vpc.get().prefix() > 24)) {
            problem("network.vpcCidr", network.vpcCidr(), "prefix must be between /16 and /24");
            vpc = Optional.empty();
        } else if (vpc.isPresent() && masksInRange) {
            Cidr block = vpc.get();
            if (pub <= block.prefix() || priv <= block.prefix()) {
                problem("network", "/" + pub + " and /" + priv, "subnet masks must be longer than the VPC's /"
                        + block.prefix());
            } else if (3 * (1L << (32 - pub)) + 3 * (1L << (32 - priv)) > block.size()) {
                problem("network.vpcCidr", network.vpcCidr(), "holds " + block.size() + " addresses but three /"
                        + pub + " public and three /" + priv + " private subnets need "
                        + (3 * (1L << (32 - pub)) + 3 * (1L << (32 - priv))) + "; use a larger block or smaller subnets");
            }
        }
        if (!LOG_RETENTION_DAYS.contains(network.flowLogRetentionDays())) {
            problem("network.flowLogRetentionDays", network.flowLogRetentionDays(),
                    "must be a CloudWatch Logs retention: " + new java.util.TreeSet<>(LOG_RETENTION_DAYS));
        }
        return vpc;
    }

    private void checkKubernetes(KubernetesSpec k8s, Optional<Cidr> vpc) {
        var m = VERSION.matcher(k8s.version() == null ? "" : k8s.version());
        if (!m.matches()) {
            problem("kubernetes.version", k8s.version(), "must be major.minor.patch, such as 1.34.1");
        } else {
            int minor = Integer.parseInt(m.group(2));
            if (!m.group(1).equals("1") || minor < MIN_MINOR || minor > MAX_MINOR) {
                problem("kubernetes.version", k8s.version(), "is not supported; use 1." + MIN_MINOR + ".x to 1."
                        + MAX_MINOR + ".x");
            }
        }
        if (k8s.podNetwork() == null) {
            problem("kubernetes.podNetwork", null, "is required: calico, flannel or cilium");
        }
        Optional<Cidr> pods = cidr("kubernetes.podCidr", k8s.podCidr());
        Optional<Cidr> services = cidr("kubernetes.serviceCidr", k8s.serviceCidr());
        pods.ifPresent(p -> {
            vpc.filter(p::overlaps).ifPresent(v -> problem("kubernetes.podCidr", k8s.podCidr(),
                    "overlaps the VPC's " + v));
            services.filter(p::overlaps).ifPresent(s -> problem("kubernetes.podCidr", k8s.podCidr(),
                    "overlaps the service range " + k8s.serviceCidr()));
        });
        services.ifPresent(s -> vpc.filter(s::overlaps).ifPresent(v -> problem("kubernetes.serviceCidr",
                k8s.serviceCidr(), "overlaps the VPC's " + v)));
    }

    private void checkMaster(MasterSpec master) {
        instanceType("master.instanceType", master.instanceType());
        between("master.rootVolumeSize", master.rootVolumeSize(), 20, 16384);
        between("master.etcdVolumeSize", master.etcdVolumeSize(), 1, 16384);
        between("master.bootGracePeriodMinutes", master.bootGracePeriodMinutes(), 5, 60);
        imageParameter("master.imageParameter", master.imageParameter());
        for (int i = 0; i < master.apiAccessCidrs().size(); i++) {
            String path = "master.apiAccessCidrs[" + i + "]";
            String value = master.apiAccessCidrs().get(i);
            cidr(path, value).filter(c -> c.prefix() == 0 && !master.publicApi()).ifPresent(c ->
                    problem(path, value, "opens an internal API to every address; set master.publicApi to true "
                            + "or name the networks that need the API"));
        }
    }

    private void checkMinionGroups(List<MinionGroupSpec> groups) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            MinionGroupSpec g = groups.get(i);
            String at = "minionGroups[" + i + "].";
            dnsLabel(at + "name", g.name(), MAX_GROUP_NAME_LENGTH);
            if (!names.add(g.name())) {
                problem(at + "name", g.name(), "is used by an earlier group; group names must be unique");
            }
            instanceType(at + "instanceType", g.instanceType());
            imageParameter(at + "imageParameter", g.imageParameter());
            between(at + "rootVolumeSize", g.rootVolumeSize(), 20, 16384);
            between(at + "minSize", g.minSize(), 0, 1000);
            between(at + "maxSize", g.maxSize(), 1, 1000);
            if (g.maxSize() < g.minSize()) {
                problem(at + "maxSize", g.maxSize(), "is below minSize " + g.minSize());
            }
            if (g.desiredCapacity() != null && (g.desiredCapacity() < g.minSize() || g.desiredCapacity() > g.maxSize())) {
                problem(at + "desiredCapacity", g.desiredCapacity(), "must lie between minSize " + g.minSize()
                        + " and maxSize " + g.maxSize());
            }
            if (g.role() == null) {
                problem(at + "role", null, "is required: worker or loadbalancer");
            } else if (g.role() == NodeRole.LOADBALANCER && g.elasticIps() < g.maxSize()) {
                problem(at + "elasticIps", g.elasticIps(), "is smaller than maxSize " + g.maxSize()
                        + "; every load-balancer node needs an address of the pool");
            } else if (g.role() == NodeRole.WORKER && g.elasticIps() != 0) {
                problem(at + "elasticIps", g.elasticIps(), "applies to load-balancer groups only; use 0 or set "
                        + "role to loadbalancer");
            }
            labels(at + "labels", g.labels());
        }
    }

    private void checkDns(DnsSpec dns) {
        if (!dns.hasPublicZone()) {
            return;
        }
        if (dns.publicZoneId() == null || !ZONE_ID.matcher(dns.publicZoneId()).matches()) {
            problem("dns.publicZoneId", dns.publicZoneId(), "must be a hosted zone id such as Z0123456789ABCDEFGHIJ"
                    + (dns.publicZoneId() == null ? " whenever dns.publicDomain is set" : ""));
        }
        if (dns.publicDomain() == null || !DOMAIN.matcher(dns.publicDomain()).matches()
                || dns.publicDomain().length() > 253) {
            problem("dns.publicDomain", dns.publicDomain(), "must be a lower-case domain name such as example.com"
                    + (dns.publicDomain() == null ? " whenever dns.publicZoneId is set" : ""));
        }
    }

    private void checkBucket(BucketSpec bucket) {
        String name = bucket.bucketName();
        if (name != null && (!BUCKET.matcher(name).matches() || name.contains("..")
                || name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
            problem("bucket.bucketName", name, "must be a valid S3 bucket name: 3-63 lower-case letters, digits, "
                    + "dots and hyphens");
        }
        between("bucket.backupIntervalMinutes", bucket.backupIntervalMinutes(), 5, 1440);
        between("bucket.backupRetentionDays", bucket.backupRetentionDays(), 1, 3650);
    }

    private void checkAccess(AccessSpec access) {
        for (int i = 0; i < access.sshCidrs().size(); i++) {
            String path = "access.sshCidrs[" + i + "]";
            String value = access.sshCidrs().get(i);
            if ("::/0".equals(value) || cidr(path, value).filter(c -> c.prefix() == 0).isPresent()) {
                if (!access.allowSshFromAnywhere()) {
                    problem(path, value, "opens SSH to the whole internet; name operator networks, use Session "
                            + "Manager, or set access.allowSshFromAnywhere to true");
                }
            }
        }
    }

    private void dnsLabel(String path, String value, int maxLength) {
        if (value == null || !DNS_LABEL.matcher(value).matches()) {
            problem(path, value, "must be a DNS label: lower-case letters, digits and hyphens, starting and "
                    + "ending with a letter or digit");
        } else if (value.length() > maxLength) {
            problem(path, value, "is " + value.length() + " characters; at most " + maxLength + " fit the names "
                    + "derived from it");
        }
    }

    private void instanceType(String path, String value) {
        if (value == null || !INSTANCE_TYPE.matcher(value).matches()) {
            problem(path, value, "must be an EC2 instance type such as t3.medium or m7g.large");
        }
    }

    private void imageParameter(String path, String value) {
        if (value != null && !value.startsWith("/")) {
            problem(path, value, "must be the name of an SSM parameter, starting with /");
        }
    }

    private void labels(String path, Map<String, String> labels) {
        labels.forEach((key, value) -> {
            if (!LABEL_KEY.matcher(key).matches() || key.length() > 316) {
                problem(path + "." + key, key, "is not a valid Kubernetes label key");
            }
            if (value == null || !LABEL_VALUE.matcher(value).matches()) {
                problem(path + "." + key, value, "is not a valid Kubernetes label value (at most 63 letters, "
                        + "digits, '-', '_' or '.')");
            }
        });
    }

    private Optional<Cidr> cidr(String path, String value) {
        Optional<Cidr> cidr = Cidr.parse(value);
        if (value != null && value.contains("${Token[")) {
            problem(path, value, "is a CDK token, resolved only at deploy time; the cluster needs the block "
                    + "itself at synth to lay out subnets and check overlaps, so give it literally");
        } else if (cidr.isEmpty()) {
            problem(path, value, "must be an IPv4 CIDR block with no host bits set, such as 10.0.0.0/16");
        }
        return cidr;
    }

    private void between(String path, int value, int min, int max) {
        if (value < min || value > max) {
            problem(path, value, "must be between " + min + " and " + max);
        }
    }

    private void problem(String path, Object value, String allowed) {
        String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        problems.add(new SpecProblem(root + "." + path, shown + " " + allowed));
    }
}
