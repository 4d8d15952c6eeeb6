package io.kubecdk.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubecdk.ClusterStack;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.InvalidSpecException;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NodeRole;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Properties of the DSL: every valid declaration synthesizes into the topology it describes, and any
 * single mistake is caught by the spec, with its path, before CDK or CloudFormation sees it.
 */
class SpecProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2");

    @Property(tries = 8)
    void everyValidDeclarationSynthesizesTheTopologyItDescribes(@ForAll("declarations") ObjectNode declaration) {
        ClusterSpec spec = EnvironmentConfig.read("prop", declaration, "environments.prop");
        Template template = Template.fromStack(new ClusterStack(new App(), "kubecdk-prop", spec));
        template.resourceCountIs("AWS::EC2::Subnet", 6);
        template.resourceCountIs("AWS::EC2::NatGateway", spec.network().natGateways());
        template.resourceCountIs("AWS::AutoScaling::AutoScalingGroup", 1 + spec.minionGroups().size());
        template.resourceCountIs("AWS::EC2::EIP", spec.network().natGateways() + spec.minionGroups().stream()
                .mapToInt(MinionGroupSpec::elasticIps).sum());
        template.resourceCountIs("AWS::EC2::LaunchTemplate", 1 + spec.minionGroups().size());
        assertThat(template.findResources("AWS::ElasticLoadBalancingV2::LoadBalancer").toString())
                .contains(spec.master().publicApi() ? "internet-facing" : "internal");
    }

    @Property(tries = 300)
    void anySingleMistakeIsCaughtByTheSpecAtItsPath(@ForAll("declarations") ObjectNode declaration,
                                                     @ForAll("mistakes") Mistake mistake) {
        ObjectNode broken = declaration.deepCopy();
        mistake.apply().accept(broken);
        InvalidSpecException error = catchThrowableOfType(InvalidSpecException.class,
                () -> EnvironmentConfig.read("prop", broken, "environments.prop"));
        assertThat(error).as("%s was accepted in %s", mistake.name(), broken).isNotNull();
        assertThat(error.problems()).as(error.getMessage())
                .anySatisfy(p -> assertThat(p.path()).isEqualTo("environments.prop." + mistake.path()));
    }

    @Provide
    Arbitrary<ObjectNode> declarations() {
        Arbitrary<String> region = Arbitraries.of(REGIONS);
        Arbitrary<Integer> secondOctet = Arbitraries.integers().between(0, 95);
        Arbitrary<Integer> nat = Arbitraries.of(1, 3);
        Arbitrary<String> version = Arbitraries.integers().between(31, 35).map(m -> "1." + m + "." + (m % 7));
        Arbitrary<String> podNetwork = Arbitraries.of("calico", "flannel", "cilium");
        Arbitrary<Boolean> publicApi = Arbitraries.of(true, false);
        Arbitrary<List<ObjectNode>> groups = group().list().ofMaxSize(3)
                .uniqueElements(g -> g.get("name").asText());
        return Combinators.combine(region, secondOctet, nat, version, podNetwork, publicApi, groups)
                .as((r, octet, n, v, cni, pub, gs) -> {
                    ObjectNode env = JSON.createObjectNode().put("region", r);
                    env.putObject("network").put("vpcCidr", "10." + octet + ".0.0/16").put("natGateways", n);
                    env.putObject("kubernetes").put("version", v).put("podNetwork", cni);
                    env.putObject("master").put("publicApi", pub);
                    ArrayNode list = env.putArray("minionGroups");
                    gs.forEach(list::add);
                    return env;
                });
    }

    private Arbitrary<ObjectNode> group() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<Integer> min = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> extra = Arbitraries.integers().between(0, 4);
        Arbitrary<NodeRole> role = Arbitraries.of(NodeRole.class);
        Arbitrary<String> type = Arbitraries.of("t3.large", "m6i.xlarge", "m7g.large", "c6i.2xlarge");
        return Combinators.combine(name, min, extra, role, type).as((n, lo, more, r, t) -> {
            ObjectNode g = JSON.createObjectNode().put("name", n).put("role", r.id()).put("instanceType", t)
                    .put("minSize", lo).put("maxSize", Math.max(1, lo + more));
            g.putObject("labels").put("group", n);
            return g;
        });
    }

    /** A single mistake, the path where it must be reported, and how to make it. */
    record Mistake(String name, String path, Consumer<ObjectNode> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Provide
    Arbitrary<Mistake> mistakes() {
        return Arbitraries.of(
                new Mistake("region typo", "region", e -> e.put("region", "eu-west")),
                new Mistake("foreign zone", "availabilityZones[1]", e -> e.putArray("availabilityZones")
                        .add(e.get("region").asText() + "a").add("xx-nowhere-1b").add(e.get("region").asText() + "c")),
                new Mistake("short account", "account", e -> e.put("account", "12345")),
                new Mistake("host bits in VPC", "network.vpcCidr", e -> e.with("network").put("vpcCidr", "10.0.0.1/16")),
                new Mistake("two NAT gateways", "network.natGateways", e -> e.with("network").put("natGateways", 2)),
                new Mistake("string NAT count", "network.natGateways", e -> e.with("network").put("natGateways", "3")),
                new Mistake("unknown network key", "network.natGateway", e -> e.with("network").put("natGateway", 1)),
                new Mistake("old Kubernetes", "kubernetes.version", e -> e.with("kubernetes").put("version", "1.20.1")),
                new Mistake("unknown CNI", "kubernetes.podNetwork", e -> e.with("kubernetes").put("podNetwork", "weave")),
                new Mistake("pods in the VPC", "kubernetes.podCidr", e -> e.with("kubernetes")
                        .put("podCidr", e.with("network").get("vpcCidr").asText())),
                new Mistake("bad master type", "master.instanceType", e -> e.with("master").put("instanceType", "huge")),
                new Mistake("tiny root volume", "master.rootVolumeSize", e -> e.with("master").put("rootVolumeSize", 4)),
                new Mistake("public zone without domain", "dns.publicDomain", e -> e.putObject("dns")
                        .put("publicZoneId", "Z0123456789EXAMPLE")),
                new Mistake("SSH from anywhere", "access.sshCidrs[0]", e -> e.putObject("access").putArray("sshCidrs")
                        .add("0.0.0.0/0")),
                new Mistake("backup every minute", "bucket.backupIntervalMinutes", e -> e.putObject("bucket")
                        .put("backupIntervalMinutes", 1)),
                new Mistake("unknown top-level key", "minionGroup", e -> e.putArray("minionGroup")),
                new Mistake("group max below min", "minionGroups[0].maxSize", e -> firstGroup(e).put("minSize", 5)
                        .put("maxSize", 4)),
                new Mistake("group name with capitals", "minionGroups[0].name", e -> firstGroup(e).put("name", "Workers")),
                new Mistake("load balancers short of addresses", "minionGroups[0].elasticIps", e -> firstGroup(e)
                        .put("role", "loadbalancer").put("maxSize", 3).put("elasticIps", 1)),
                new Mistake("duplicate group", "minionGroups[1].name", e -> {
                    ObjectNode g = firstGroup(e);
                    ((ArrayNode) e.get("minionGroups")).insert(1, g.deepCopy());
                }));
    }

    private static ObjectNode firstGroup(ObjectNode env) {
        ArrayNode groups = env.withArray("minionGroups");
        if (groups.isEmpty()) {
            groups.addObject().put("name", "workers");
        }
        return (ObjectNode) groups.get(0);
    }
}
