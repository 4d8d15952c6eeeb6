package io.kubecdk.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubecdk.spec.AccessSpec;
import io.kubecdk.spec.BucketSpec;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.DnsSpec;
import io.kubecdk.spec.InvalidSpecException;
import io.kubecdk.spec.KubernetesSpec;
import io.kubecdk.spec.MasterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NetworkSpec;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.spec.PodNetwork;
import io.kubecdk.spec.SpecProblem;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads the {@code environments} object of {@code cdk.json}'s context (or of a spec file) into
 * validated {@link ClusterSpec}s. Unknown keys, wrong types and invalid values are all collected and
 * reported together, each with its path, e.g. {@code environments.prod.minionGroups[1].maxSize}.
 */
public final class EnvironmentConfig {
    static final Set<String> ENVIRONMENT_KEYS = Set.of("region", "account", "clusterName", "availabilityZones",
            "network", "kubernetes", "master", "minionGroups", "dns", "bucket", "access");
    static final Set<String> NETWORK_KEYS = Set.of("vpcCidr", "natGateways", "publicSubnetMask", "privateSubnetMask",
            "flowLogs", "flowLogRetentionDays");
    static final Set<String> KUBERNETES_KEYS = Set.of("version", "podNetwork", "podCidr", "serviceCidr");
    static final Set<String> MASTER_KEYS = Set.of("instanceType", "rootVolumeSize", "etcdVolumeSize", "imageParameter",
            "publicApi", "apiAccessCidrs", "bootGracePeriodMinutes");
    static final Set<String> GROUP_KEYS = Set.of("name", "role", "instanceType", "minSize", "maxSize",
            "desiredCapacity", "labels", "imageParameter", "rootVolumeSize", "elasticIps");
    static final Set<String> DNS_KEYS = Set.of("publicZoneId", "publicDomain");
    static final Set<String> BUCKET_KEYS = Set.of("bucketName", "destroyOnRemoval", "backupIntervalMinutes",
            "backupRetentionDays");
    static final Set<String> ACCESS_KEYS = Set.of("sshCidrs", "allowSshFromAnywhere");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private EnvironmentConfig() { }

    /**
     * @param environments the {@code environments} value: a JSON tree, or the maps and lists the CDK
     *                     context returns
     * @param path where the value sits in the user's input, e.g. {@code environments}
     * @return every environment's spec, in input order
     * @throws InvalidSpecException listing every problem of every environment
     */
    public static Map<String, ClusterSpec> readAll(Object environments, String path) {
        JsonNode root = JSON.valueToTree(environments);
        List<SpecProblem> problems = new ArrayList<>();
        Map<String, ClusterSpec> specs = new LinkedHashMap<>();
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new InvalidSpecException(List.of(new SpecProblem(path,
                    "must be an object with one entry per environment, e.g. {\"dev\": {\"region\": \"eu-west-1\"}}")));
        }
        root.fields().forEachRemaining(e -> {
            try {
                specs.put(e.getKey(), read(e.getKey(), e.getValue(), path + "." + e.getKey()));
            } catch (InvalidSpecException ex) {
                problems.addAll(ex.problems());
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return specs;
    }

    /**
     * Reads a spec file kept apart from {@code cdk.json}: JSON, or YAML when its name ends in
     * {@code .yaml} or {@code .yml}, holding one key, {@code environments}, shaped as in {@code cdk.json}.
     *
     * @param file the spec file
     * @return every environment's spec, in file order
     * @throws InvalidSpecException listing every problem, or one naming the file when it cannot be read
     */
    public static Map<String, ClusterSpec> readFile(Path file) {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidSpecException(List.of(new SpecProblem("spec", "cannot read " + file + ": "
                    + e.getMessage().lines().findFirst().orElse(""))));
        }
        List<SpecProblem> problems = new ArrayList<>();
        new JsonFields(root == null ? JSON.nullNode() : root, name, Set.of("environments"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return readAll(root.get("environments"), "environments");
    }

    /**
     * @param environment the environment's name
     * @param node its declaration
     * @param path where it sits in the user's input, e.g. {@code environments.prod}
     * @return the validated spec
     * @throws InvalidSpecException listing every problem found
     */
    public static ClusterSpec read(String environment, Object node, String path) {
        List<SpecProblem> problems = new ArrayList<>();
        JsonFields env = new JsonFields(JSON.valueToTree(node), path, ENVIRONMENT_KEYS, problems);
        ClusterSpec.Builder spec = ClusterSpec.builder(environment);
        env.string("region", spec::region);
        env.string("account", spec::account);
        env.string("clusterName", spec::clusterName);
        env.strings("availabilityZones", spec::availabilityZones);
        env.object("network", NETWORK_KEYS).ifPresent(f -> spec.network(network(f)));
        env.object("kubernetes", KUBERNETES_KEYS).ifPresent(f -> spec.kubernetes(kubernetes(f)));
        env.object("master", MASTER_KEYS).ifPresent(f -> spec.master(master(f)));
        env.objects("minionGroups", GROUP_KEYS).forEach(f -> minionGroup(f).ifPresent(spec::minionGroup));
        env.object("dns", DNS_KEYS).ifPresent(f -> spec.dns(dns(f)));
        env.object("bucket", BUCKET_KEYS).ifPresent(f -> spec.bucket(bucket(f)));
        env.object("access", ACCESS_KEYS).ifPresent(f -> spec.access(access(f)));
        try {
            ClusterSpec built = spec.build(path);
            if (!problems.isEmpty()) {
                throw new InvalidSpecException(problems);
            }
            return built;
        } catch (InvalidSpecException e) {
            List<SpecProblem> all = new ArrayList<>(problems);
            e.problems().stream().filter(p -> problems.stream().noneMatch(q -> q.path().equals(p.path())))
                    .forEach(all::add);
            throw new InvalidSpecException(all);
        }
    }

    private static NetworkSpec network(JsonFields f) {
        NetworkSpec.Builder b = NetworkSpec.builder();
        f.string("vpcCidr", b::vpcCidr);
        f.integer("natGateways", b::natGateways);
        f.integer("publicSubnetMask", b::publicSubnetMask);
        f.integer("privateSubnetMask", b::privateSubnetMask);
        f.bool("flowLogs", b::flowLogs);
        f.integer("flowLogRetentionDays", b::flowLogRetentionDays);
        return b.build();
    }

    private static KubernetesSpec kubernetes(JsonFields f) {
        KubernetesSpec.Builder b = KubernetesSpec.builder();
        f.string("version", b::version);
        f.string("podNetwork", v -> enumValue(f, "podNetwork", v, PodNetwork.class, b::podNetwork));
        f.string("podCidr", b::podCidr);
        f.string("serviceCidr", b::serviceCidr);
        return b.build();
    }

    private static MasterSpec master(JsonFields f) {
        MasterSpec.Builder b = MasterSpec.builder();
        f.string("instanceType", b::instanceType);
        f.integer("rootVolumeSize", b::rootVolumeSize);
        f.integer("etcdVolumeSize", b::etcdVolumeSize);
        f.string("imageParameter", b::imageParameter);
        f.bool("publicApi", b::publicApi);
        f.strings("apiAccessCidrs", b::apiAccessCidrs);
        f.integer("bootGracePeriodMinutes", b::bootGracePeriodMinutes);
        return b.build();
    }

    private static java.util.Optional<MinionGroupSpec> minionGroup(JsonFields f) {
        String[] name = new String[1];
        f.string("name", n -> name[0] = n);
        if (name[0] == null) {
            f.problem("name", "is required: a DNS label naming the group, e.g. workers");
            return java.util.Optional.empty();
        }
        MinionGroupSpec.Builder b = MinionGroupSpec.builder(name[0]);
        f.string("role", v -> enumValue(f, "role", v, NodeRole.class, b::role));
        f.string("instanceType", b::instanceType);
        f.integer("minSize", b::minSize);
        f.integer("maxSize", b::maxSize);
        f.integer("desiredCapacity", b::desiredCapacity);
        f.stringMap("labels", b::labels);
        f.string("imageParameter", b::imageParameter);
        f.integer("rootVolumeSize", b::rootVolumeSize);
        f.integer("elasticIps", b::elasticIps);
        return java.util.Optional.of(b.build());
    }

    private static DnsSpec dns(JsonFields f) {
        String[] zone = new String[2];
        f.string("publicZoneId", v -> zone[0] = v);
        f.string("publicDomain", v -> zone[1] = v);
        return new DnsSpec(zone[0], zone[1]);
    }

    private static BucketSpec bucket(JsonFields f) {
        BucketSpec.Builder b = BucketSpec.builder();
        f.string("bucketName", b::bucketName);
        f.bool("destroyOnRemoval", b::destroyOnRemoval);
        f.integer("backupIntervalMinutes", b::backupIntervalMinutes);
        f.integer("backupRetentionDays", b::backupRetentionDays);
        return b.build();
    }

    private static AccessSpec access(JsonFields f) {
        List<String> cidrs = new ArrayList<>();
        boolean[] anywhere = new boolean[1];
        f.strings("sshCidrs", cidrs::addAll);
        f.bool("allowSshFromAnywhere", v -> anywhere[0] = v);
        return new AccessSpec(cidrs, anywhere[0]);
    }

    private static <E extends Enum<E>> void enumValue(JsonFields f, String key, String value, Class<E> type,
                                                      Consumer<E> setter) {
        try {
            setter.accept(Enum.valueOf(type, value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            f.problem(key, "'" + value + "' must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
