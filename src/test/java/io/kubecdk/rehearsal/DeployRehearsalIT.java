package io.kubecdk.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubecdk.testsupport.FakeImds;
import io.kubecdk.testsupport.LocalEtcd;
import io.kubecdk.testsupport.MotoServer;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.ScriptSandbox;
import io.kubecdk.testsupport.Tools;
import io.kubecdk.userdata.ScriptsBundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rehearses every deploy on loopback: each {@code cdk.json} environment's synthesized stack is created
 * in the local AWS emulator ({@code moto_server}) with the AWS CLI, checked through the AWS API, and
 * the staging cluster's nodes boot from the user-data of the deployed launch templates, with their
 * AWS calls going to the emulator and their instance metadata served by a {@link FakeImds} that
 * answers for a real emulator instance of the right auto-scaling group. Finally the master is
 * terminated, and its replacement restores etcd from the newest backup.
 *
 * <p>What the emulator cannot do, and how the rehearsal deals with it (also listed in the README):
 * <ul>
 *   <li>It runs no Lambda code, so the deployed copy of each template leaves out aws-cdk-lib's
 *       {@code Custom::CDKBucketDeployment} and {@code Custom::S3AutoDeleteObjects} and the Lambda
 *       functions, roles, policies and layers that serve only them; the test publishes the scripts
 *       bundle itself, as the BucketDeployment would: {@code aws s3 sync} of the staged
 *       {@link ScriptsBundle#fromClassPath()} into {@code scripts/<hash>/} of the stack's bucket.</li>
 *   <li>Its CloudFormation creates every ELBv2 load balancer as an application load balancer, so the
 *       API's TCP listener is refused: the copy leaves the listener out.</li>
 *   <li>Prod's record in its public zone names a zone of the real account, which cannot exist in the
 *       emulator (it generates zone ids): the copy leaves that record out.</li>
 *   <li>{@link #SKIPPED_BY_EMULATOR}: resource types its CloudFormation accepts but silently does not
 *       create; the test asserts that exactly these are missing.</li>
 *   <li>{@link #EMULATOR_GAPS}: properties its CloudFormation drops. Elastic IP Tags are one of them; the
 *       test applies the Tags each template declares on its addresses with {@code ec2 create-tags}, so
 *       that the load-balancer minions can find their pool, and says so on stdout.</li>
 *   <li>It launches every instance of a group into the group's first subnet, and gives no instance
 *       a public address from its launch template.</li>
 * </ul>
 * The CDK bootstrap check ({@code BootstrapVersion} parameter and {@code CheckBootstrapVersion} rule)
 * stays in the template; the test creates {@code /cdk-bootstrap/hnb659fds/version = 30} in each region,
 * as {@code cdk bootstrap} does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployRehearsalIT {

    /** Types moto's CloudFormation accepts in a template but does not create. */
    static final Set<String> SKIPPED_BY_EMULATOR = Set.of("AWS::EC2::SecurityGroupEgress", "AWS::S3::BucketPolicy");

    /** Template properties moto's CloudFormation drops, as observed through the API by this test. */
    static final List<String> EMULATOR_GAPS = List.of(
            "AWS::S3::Bucket: only BucketEncryption and Tags are applied (no versioning, lifecycle rules,"
                    + " public access block, ownership controls)",
            "AWS::Route53::HostedZone: created public, without its VPC association",
            "AWS::Route53::RecordSet alias to the load balancer: HostedZoneId stays an unresolved"
                    + " Fn::GetAtt (CanonicalHostedZoneID is not implemented)",
            "AWS::ElasticLoadBalancingV2::LoadBalancer: created as type application",
            "AWS::EC2::EIP: Tags are dropped",
            "AWS::AutoScaling::AutoScalingGroup: every instance in the first subnet of VPCZoneIdentifier",
            "AWS::EC2::LaunchTemplate: no public address from NetworkInterfaces.AssociatePublicIpAddress");

    /** The only types the deployed copy may leave out (see {@link EmulatorTemplate}). */
    private static final Set<String> REMOVABLE_TYPES = Set.of("Custom::CDKBucketDeployment",
            "Custom::S3AutoDeleteObjects", "AWS::Lambda::Function", "AWS::Lambda::LayerVersion", "AWS::IAM::Role",
            "AWS::IAM::Policy", EmulatorTemplate.LISTENER, "AWS::Route53::RecordSet");

    private static final String BOOTED = "staging";
    private static final String ASG = "AWS::AutoScaling::AutoScalingGroup";
    private static final String BOOTSTRAP_VERSION = "/cdk-bootstrap/hnb659fds/version";
    private static final String IMAGE_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";
    private static final String CALICO_FIXTURE = String.join("\n",
            "kind: DaemonSet",
            "            # - name: CALICO_IPV4POOL_CIDR",
            "            #   value: \"192.168.0.0/16\"",
            "");

    @TempDir
    static Path temp;

    private static MotoServer moto;
    private static Map<String, SynthesizedEnvironments.Synthesized> synthesized;
    private static final Map<String, Deployed> DEPLOYED = new LinkedHashMap<>();
    private static final List<String> FIGURES = new ArrayList<>();
    private static final List<FakeImds> METADATA_SERVERS = new ArrayList<>();

    /** State the boot leaves for the master's replacement. */
    private static Node bootedMaster;
    private static LocalEtcd masterEtcd;
    private static String newestBackup;
    private static Map<String, String> backedUpKeys;

    /** One environment's stack in the emulator. */
    record Deployed(SynthesizedEnvironments.Synthesized source, EmulatorTemplate copy, JsonNode resources,
                    String bucket, String zoneId, List<String> eipTagsAfterDeploy) {

        String region() {
            return source.region();
        }

        /** The physical id of the one resource of TYPE whose logical id starts with PREFIX. */
        /**
         * The resource whose logical id is the construct path's prefix plus CDK's 8-character hash (after
         * {@code ASG}, the id aws-cdk-lib gives an auto-scaling group's L1 resource).
         */
        String physicalId(String prefix, String type) {
            List<String> ids = new ArrayList<>();
            resources.forEach(r -> {
                if (r.path("LogicalResourceId").asText().matches(java.util.regex.Pattern.quote(prefix) + "(ASG)?[0-9A-F]{8}")
                        && r.path("ResourceType").asText().equals(type)) {
                    ids.add(r.path("PhysicalResourceId").asText());
                }
            });
            assertThat(ids).as("resources named %s<hash>", prefix).hasSize(1);
            return ids.get(0);
        }
    }

    /** A booted (or booting) node: an emulator instance, its metadata server and its sandbox. */
    record Node(String name, Instance instance, FakeImds imds, ScriptSandbox sandbox, Path userData) {
    }

    /** An emulator instance. */
    record Instance(String id, String zone, String privateIp, String publicIp, String subnet, String state) {

        String hostname() {
            return "ip-" + privateIp.replace('.', '-');
        }
    }

    @BeforeAll
    static void deployEveryEnvironment() throws IOException {
        Tools.require("etcd");
        long start = System.nanoTime();
        moto = MotoServer.start();
        synthesized = SynthesizedEnvironments.synthesize(temp.resolve("cdk.out"));
        assertThat(synthesized).containsOnlyKeys("dev", "staging", "prod");
        synthesized.values().stream().map(SynthesizedEnvironments.Synthesized::region).distinct()
                .forEach(DeployRehearsalIT::prepareRegion);
        Path bundle = ScriptsBundle.fromClassPath().stageIn(Files.createDirectories(temp.resolve("bundle")));
        for (SynthesizedEnvironments.Synthesized env : synthesized.values()) {
            DEPLOYED.put(env.environment(), deploy(env, bundle));
        }
        System.out.printf("rehearsal: synthesized and deployed %d environments in %.1f s%n", DEPLOYED.size(),
                seconds(start));
    }

    @AfterAll
    static void stopEverything() {
        if (masterEtcd != null) {
            masterEtcd.close();
        }
        METADATA_SERVERS.forEach(FakeImds::close);
        if (moto != null) {
            moto.close();
        }
        FIGURES.forEach(System.out::println);
        System.out.println("emulator gaps: " + String.join("; ", EMULATOR_GAPS));
    }

    /** Makes sure the image parameters point at images the emulator has, and adds the CDK bootstrap version. */
    private static void prepareRegion(String region) {
        for (String arch : List.of("x86_64", "arm64")) {
            JsonNode found = json(region, "ssm", "get-parameters", "--names", IMAGE_PARAMETER + arch);
            String image = found.path("Parameters").path(0).path("Value").asText("");
            if (image.isEmpty()) {
                image = aws(region, "ec2", "describe-images", "--filters",
                        "Name=name,Values=al2023-ami-2023.*-kernel-6.1-" + arch, "--query", "Images[0].ImageId",
                        "--output", "text");
                aws(region, "ssm", "put-parameter", "--name", IMAGE_PARAMETER + arch, "--type", "String",
                        "--value", image);
                System.out.printf("rehearsal: %s: created %s%s = %s%n", region, IMAGE_PARAMETER, arch, image);
            } else {
                System.out.printf("rehearsal: %s: the emulator serves %s%s = %s%n", region, IMAGE_PARAMETER, arch,
                        image);
            }
            assertThat(aws(region, "ec2", "describe-images", "--image-ids", image, "--query", "Images[0].Architecture",
                    "--output", "text")).as("architecture of %s", image).isEqualTo(arch);
        }
        aws(region, "ssm", "put-parameter", "--name", BOOTSTRAP_VERSION, "--type", "String", "--value", "30",
                "--overwrite");
    }

    private static Deployed deploy(SynthesizedEnvironments.Synthesized env, Path bundle) throws IOException {
        EmulatorTemplate copy = EmulatorTemplate.of(env.template());
        Path file = temp.resolve(env.stackName() + ".emulator.template.json");
        SynthesizedEnvironments.JSON.writeValue(file.toFile(), copy.template());
        long start = System.nanoTime();
        aws(env.region(), "cloudformation", "create-stack", "--stack-name", env.stackName(),
                "--template-body", "file://" + file, "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM");
        String status = awaitStack(env);
        double deploySeconds = seconds(start);
        assertThat(status).as("status of %s: %s", env.stackName(),
                aws(env.region(), "cloudformation", "describe-stacks", "--stack-name", env.stackName()))
                .isEqualTo("CREATE_COMPLETE");
        JsonNode resources = json(env.region(), "cloudformation", "list-stack-resources", "--stack-name",
                env.stackName()).path("StackResourceSummaries");
        Deployed deployed = new Deployed(env, copy, resources, null, null, List.of());
        String bucket = deployed.physicalId("ClusterScriptBucket", "AWS::S3::Bucket");
        String zoneId = deployed.physicalId("ClusterDnsPrivateZone", "AWS::Route53::HostedZone");
        aws(env.region(), "s3", "sync", "--only-show-errors", bundle.toString(),
                "s3://" + bucket + "/" + ScriptsBundle.fromClassPath().keyPrefix());
        List<String> eipTags = tagElasticIps(env, copy, resources);
        JsonNode deployedResources = copy.template().get("Resources");
        Set<String> listed = new TreeSet<>();
        Set<String> extra = new TreeSet<>();
        long created = 0;
        int blank = 0;
        for (JsonNode r : resources) {
            String id = r.path("LogicalResourceId").asText();
            listed.add(id);
            if (id.isEmpty()) {
                blank++;
            } else if (!deployedResources.has(id)) {
                extra.add(id + " (" + r.path("ResourceType").asText() + ")");
            } else if (r.path("ResourceStatus").asText().equals("CREATE_COMPLETE")) {
                created++;
            }
        }
        Set<String> skipped = new TreeSet<>();
        deployedResources.fieldNames().forEachRemaining(id -> {
            if (!listed.contains(id)) {
                skipped.add(id);
            }
        });
        FIGURES.add(String.format("rehearsal %s (%s): %d resources created in the emulator in %.1f s; template %d,"
                        + " left out of the deployed copy %d, skipped by the emulator %d %s (listed as %d entries"
                        + " without a logical id), listed beyond the template %s", env.stackName(), env.region(),
                created, deploySeconds, env.template().get("Resources").size(), copy.removed().size(), skipped.size(),
                skipped, blank, extra));
        return new Deployed(env, copy, resources, bucket, zoneId, eipTags);
    }

    private static String awaitStack(SynthesizedEnvironments.Synthesized env) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = aws(env.region(), "cloudformation", "describe-stacks", "--stack-name", env.stackName(),
                    "--query", "Stacks[0].StackStatus", "--output", "text");
            if (!status.endsWith("_IN_PROGRESS")) {
                return status;
            }
            Processes.sleep(500);
        }
        return status;
    }

    /**
     * moto's CloudFormation drops the Tags of AWS::EC2::EIP. Records the tags each deployed address has,
     * then applies exactly the Tags the template declares on it, so the pool works as on AWS.
     */
    private static List<String> tagElasticIps(SynthesizedEnvironments.Synthesized env, EmulatorTemplate copy,
                                              JsonNode resources) {
        List<String> tagsAfterDeploy = new ArrayList<>();
        for (JsonNode r : resources) {
            if (!r.path("ResourceType").asText().equals("AWS::EC2::EIP")) {
                continue;
            }
            JsonNode declared = copy.template().path("Resources").path(r.path("LogicalResourceId").asText())
                    .path("Properties").path("Tags");
            JsonNode address = json(env.region(), "ec2", "describe-addresses", "--public-ips",
                    r.path("PhysicalResourceId").asText()).path("Addresses").path(0);
            address.path("Tags").forEach(t -> tagsAfterDeploy.add(t.path("Key").asText()));
            if (declared.isEmpty()) {
                continue;
            }
            List<String> command = new ArrayList<>(List.of("ec2", "create-tags", "--resources",
                    address.path("AllocationId").asText(), "--tags"));
            declared.forEach(t -> command.add("Key=" + t.path("Key").asText() + ",Value=" + t.path("Value").asText()));
            aws(env.region(), command.toArray(String[]::new));
        }
        return tagsAfterDeploy;
    }

    @Test
    @Order(1)
    void everyResourceOfTheDeployedCopyIsCreatedOrIsOfATypeTheEmulatorSkips() {
        for (Deployed d : DEPLOYED.values()) {
            Map<String, String> status = new TreeMap<>();
            int withoutId = 0;
            for (JsonNode r : d.resources()) {
                if (r.path("LogicalResourceId").asText().isEmpty()) {
                    // the emulator lists each resource it skipped as an entry without id or type
                    withoutId++;
                } else {
                    status.put(r.path("LogicalResourceId").asText(), r.path("ResourceStatus").asText());
                }
            }
            assertThat(status.keySet()).as("listed resources of %s", d.source().stackName())
                    .isSubsetOf(iterable(d.copy().template().path("Resources").fieldNames()));
            Set<String> skippedTypes = new TreeSet<>();
            d.copy().template().path("Resources").fields().forEachRemaining(e -> {
                if (!status.containsKey(e.getKey())) {
                    skippedTypes.add(e.getValue().path("Type").asText());
                }
            });
            assertThat(status).as("%s resources", d.source().stackName()).allSatisfy((id, s) ->
                    assertThat(s).as(id).isEqualTo("CREATE_COMPLETE"));
            assertThat(skippedTypes).as("types %s has in its template but not in the emulator",
                    d.source().stackName()).containsExactlyInAnyOrderElementsOf(SKIPPED_BY_EMULATOR);
            assertThat(withoutId).isEqualTo(d.copy().template().path("Resources").size() - status.size());
            assertThat(d.copy().removed()).as("left out of %s", d.source().stackName())
                    .extracting(EmulatorTemplate.Removed::type).isSubsetOf(REMOVABLE_TYPES)
                    .contains("Custom::CDKBucketDeployment", EmulatorTemplate.LISTENER);
            d.copy().removed().forEach(r -> System.out.printf("rehearsal %s: left out %s (%s): %s%n",
                    d.source().stackName(), r.logicalId(), r.type(), r.reason()));
        }
    }

    @Test
    @Order(2)
    void theMasterGroupHoldsExactlyOneRunningInstance() {
        for (Deployed d : DEPLOYED.values()) {
            List<Instance> masters = instances(d, d.physicalId("ClusterMasterGroupAutoScalingGroup", ASG));
            assertThat(masters).as("masters of %s", d.source().stackName()).singleElement()
                    .satisfies(m -> assertThat(m.state()).isEqualTo("running"));
        }
    }

    @Test
    @Order(3)
    void minionGroupsOfThreeOrMoreSpanTheThreeZonesOfTheirEnvironment() {
        int checked = 0;
        for (Deployed d : DEPLOYED.values()) {
            JsonNode environment = d.source().template();
            for (JsonNode group : json(d.region(), "autoscaling", "describe-auto-scaling-groups")
                    .path("AutoScalingGroups")) {
                String name = group.path("AutoScalingGroupName").asText();
                if (!name.startsWith(d.source().stackName() + "-ClusterMinions") || group.path("MinSize").asInt() < 3) {
                    continue;
                }
                checked++;
                List<String> subnets = List.of(group.path("VPCZoneIdentifier").asText().split(","));
                Map<String, String> zoneOfSubnet = new TreeMap<>();
                List<String> describe = new ArrayList<>(List.of("ec2", "describe-subnets", "--subnet-ids"));
                describe.addAll(subnets);
                json(d.region(), describe.toArray(String[]::new)).path("Subnets").forEach(s -> zoneOfSubnet.put(s.path("SubnetId").asText(),
                                s.path("AvailabilityZone").asText()));
                assertThat(new TreeSet<>(zoneOfSubnet.values())).as("zones of %s", name)
                        .containsExactlyElementsOf(synthesizedZones(environment));
                List<Instance> minions = instances(d, name);
                assertThat(minions).as("instances of %s", name).hasSize(group.path("MinSize").asInt())
                        .allSatisfy(i -> assertThat(i.subnet()).isIn(subnets));
                Set<String> zones = minions.stream().map(Instance::zone).collect(Collectors.toCollection(TreeSet::new));
                if (zones.size() < 3) {
                    // the emulator's documented placement: every instance in the group's first subnet
                    assertThat(minions).as("emulator placement of %s", name)
                            .allSatisfy(i -> assertThat(i.subnet()).isEqualTo(subnets.get(0)));
                }
                System.out.printf("rehearsal %s: %s spans subnets in %s; the emulator placed its %d instances in %s%n",
                        d.source().stackName(), name.replaceAll("^.*-ClusterMinions(\\w+)AutoScaling.*$", "$1"),
                        new TreeSet<>(zoneOfSubnet.values()), minions.size(), zones);
            }
        }
        assertThat(checked).as("minion groups with min size >= 3").isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(4)
    void thePrivateZoneHoldsTheMasterRecordAliasedToTheApiLoadBalancer() {
        for (Deployed d : DEPLOYED.values()) {
            String env = d.source().environment();
            JsonNode zone = json(d.region(), "route53", "get-hosted-zone", "--id", d.zoneId());
            assertThat(zone.path("HostedZone").path("Name").asText()).isEqualTo(env + ".kube.");
            JsonNode balancer = json(d.region(), "elbv2", "describe-load-balancers", "--load-balancer-arns",
                    d.physicalId("ClusterMasterGroupApiLoadBalancer",
                            "AWS::ElasticLoadBalancingV2::LoadBalancer")).path("LoadBalancers").path(0);
            JsonNode master = record(d, "master." + env + ".kube.", "A");
            assertThat(master.path("AliasTarget").path("DNSName").asText())
                    .isEqualToIgnoringCase("dualstack." + balancer.path("DNSName").asText());
            if (zone.path("HostedZone").path("Config").path("PrivateZone").asBoolean()) {
                assertThat(zone.path("VPCs").findValuesAsText("VPCId")).contains(d.physicalId("ClusterNetworkVpc", "AWS::EC2::VPC"));
            } else {
                System.out.printf("rehearsal %s: emulator gap: %s.kube is public and has no VPC%n",
                        d.source().stackName(), env);
            }
            System.out.printf("rehearsal %s: master.%s.kube -> %s (alias zone id %s), load balancer type %s%n",
                    d.source().stackName(), env, master.path("AliasTarget").path("DNSName").asText(),
                    master.path("AliasTarget").path("HostedZoneId").asText(), balancer.path("Type").asText());
        }
    }

    @Test
    @Order(5)
    void eachLoadBalancerGroupHasItsTaggedElasticIpPool() {
        for (Deployed d : DEPLOYED.values()) {
            assertThat(d.eipTagsAfterDeploy()).as("EIP tags the emulator applied (none: it drops them)").isEmpty();
            Map<String, Integer> expected = new TreeMap<>();
            d.source().template().path("Resources").forEach(r -> {
                if (r.path("Type").asText().equals("AWS::EC2::EIP")) {
                    r.path("Properties").path("Tags").forEach(t -> {
                        if (t.path("Key").asText().equals("kubecdk:eip-pool")) {
                            expected.merge(t.path("Value").asText(), 1, Integer::sum);
                        }
                    });
                }
            });
            assertThat(expected).as("pools of %s", d.source().stackName()).isNotEmpty();
            expected.forEach((pool, size) -> {
                JsonNode addresses = json(d.region(), "ec2", "describe-addresses", "--filters",
                        "Name=tag:kubecdk:eip-pool,Values=" + pool).path("Addresses");
                assertThat(addresses).as("pool %s", pool).hasSize(size)
                        .allSatisfy(a -> assertThat(a.path("Domain").asText()).isEqualTo("vpc"));
                System.out.printf("rehearsal %s: pool %s holds %d addresses%n", d.source().stackName(), pool, size);
            });
        }
    }

    @Test
    @Order(6)
    void theBucketIsEncryptedAndHoldsTheScriptsBundle() {
        for (Deployed d : DEPLOYED.values()) {
            assertThat(aws(d.region(), "s3api", "get-bucket-encryption", "--bucket", d.bucket(), "--query",
                    "ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm",
                    "--output", "text")).isEqualTo("AES256");
            String versioning = aws(d.region(), "s3api", "get-bucket-versioning", "--bucket", d.bucket(),
                    "--query", "Status", "--output", "text");
            assertThat(versioning).as("versioning (the emulator drops VersioningConfiguration)").isIn("Enabled", "None");
            ProcessResult policy = Processes.run(List.of("aws", "--region", d.region(), "s3api", "get-bucket-policy",
                    "--bucket", d.bucket()), null, moto.awsEnv(), Duration.ofSeconds(60));
            assertThat(policy.stderr()).as("bucket policy (AWS::S3::BucketPolicy is skipped by the emulator)")
                    .contains("NoSuchBucketPolicy");
            String manifest = aws(d.region(), "s3", "cp", "s3://" + d.bucket() + "/"
                    + ScriptsBundle.fromClassPath().keyPrefix() + ScriptsBundle.MANIFEST, "-");
            assertThat(manifest).contains("bootstrap-master.sh", "etcd-backup.sh");
            System.out.printf("rehearsal %s: bucket %s: SSE-S3, versioning %s, no policy in the emulator%n",
                    d.source().stackName(), d.bucket(), versioning);
        }
    }

    @Test
    @Order(10)
    void stagingNodesBootFromTheDeployedUserDataAndASecondBootChangesNothing() throws Exception {
        Deployed d = DEPLOYED.get(BOOTED);
        String masterGroup = d.physicalId("ClusterMasterGroupAutoScalingGroup", ASG);
        String workerGroup = d.physicalId("ClusterMinionsworkersAutoScalingGroup", ASG);
        String ingressGroup = d.physicalId("ClusterMinionsingressAutoScalingGroup", ASG);

        Node master = node(d, "master", instances(d, masterGroup).get(0), userData(d, masterGroup), true);
        boot(List.of(master), "first boot");
        bootedMaster = master;
        assertThat(moto.aws("--region", d.region(), "s3", "cp", "s3://" + d.bucket() + "/join/join.env", "-"))
                .contains("JOIN_ENDPOINT='master.staging.kube:6443'");

        String minionUserData = userData(d, workerGroup);
        String ingressUserData = userData(d, ingressGroup);
        List<Instance> ingress = instances(d, ingressGroup);
        assertThat(ingress).hasSize(2);
        List<Node> minions = List.of(
                node(d, "worker", instances(d, workerGroup).get(0), minionUserData, false),
                node(d, "ingress-1", ingress.get(0), ingressUserData, false),
                node(d, "ingress-2", ingress.get(1), ingressUserData, false));
        boot(minions, "first boot, three at once");

        List<Node> all = new ArrayList<>(minions);
        all.add(0, master);
        for (Node node : all) {
            assertThat(record(d, node.instance().hostname() + ".staging.kube.", "A")
                    .path("ResourceRecords").findValuesAsText("Value"))
                    .as("record of %s", node.name()).containsExactly(node.instance().privateIp());
        }
        assertThat(master.sandbox().calls("kubeadm init")).hasSize(1);
        for (Node minion : minions) {
            assertThat(minion.sandbox().calls("kubeadm join")).as(minion.name()).hasSize(1);
            assertThat(minion.sandbox().read("etc/kubecdk/cluster.env"))
                    .contains("MASTER_IP='" + master.instance().privateIp() + "'");
        }
        Map<String, String> held = heldAddresses(d, "staging-ingress");
        assertThat(held).as("pool addresses by instance").containsOnlyKeys(ingress.get(0).id(), ingress.get(1).id());
        assertThat(new TreeSet<>(held.values())).as("distinct addresses").hasSize(2);

        // etcd as kubeadm would run it, here a real etcd on loopback; the PKI that kubeadm init writes.
        masterEtcd = new LocalEtcd(nodeName(d, master.instance()), temp.resolve("master-etcd")).start();
        for (String file : ScriptSandbox.PKI_FILES) {
            master.sandbox().writeFile("etc/kubernetes/pki/" + file, file + " of the staging rehearsal\n");
        }
        master.sandbox().env("ETCD_ENDPOINT", masterEtcd.clientUrl());
        Map<String, String> keys = keys("gen1", 100);
        masterEtcd.putAll(keys);
        String first = runUnit(master, "kubecdk-etcd-backup.service", "ExecStart").stdout().trim();
        Map<String, String> more = keys("gen2", 100);
        masterEtcd.putAll(more);
        keys.putAll(more);
        awaitNextSecond(first);
        newestBackup = runUnit(master, "kubecdk-etcd-backup.service", "ExecStart").stdout().trim();
        backedUpKeys = keys;
        masterEtcd.putAll(keys("after-backup", 10));
        assertThat(List.of(first, newestBackup)).doesNotHaveDuplicates().allMatch(p -> p.matches(
                "etcd-backups/\\d{8}T\\d{6}Z/"));
        for (String prefix : List.of(first, newestBackup)) {
            assertThat(aws(d.region(), "s3api", "list-objects-v2", "--bucket", d.bucket(), "--prefix", prefix,
                    "--query", "Contents[].Key", "--output", "text").split("\\s+")).as(prefix)
                    .containsExactlyInAnyOrder(prefix + "SHA256SUMS", prefix + "pki.tar.gz", prefix + "snapshot.db");
        }
        assertThat(aws(d.region(), "s3", "cp", "s3://" + d.bucket() + "/etcd-backups/latest", "-"))
                .isEqualTo(newestBackup);

        // A second boot of every node: same records, same addresses, no second init or join.
        String recordsBefore = aws(d.region(), "route53", "list-resource-record-sets", "--hosted-zone-id", d.zoneId());
        Map<String, Integer> callsBefore = new HashMap<>();
        all.forEach(n -> callsBefore.put(n.name(), n.sandbox().calls().size()));
        boot(List.of(master), "second boot");
        boot(minions, "second boot, three at once");
        assertThat(aws(d.region(), "route53", "list-resource-record-sets", "--hosted-zone-id", d.zoneId()))
                .isEqualTo(recordsBefore);
        assertThat(heldAddresses(d, "staging-ingress")).isEqualTo(held);
        for (Node node : all) {
            List<String> secondRun = node.sandbox().calls().subList(callsBefore.get(node.name()),
                    node.sandbox().calls().size());
            assertThat(secondRun).as("stand-in calls of the second boot of %s", node.name())
                    .noneMatch(c -> c.startsWith("kubeadm init") || c.startsWith("kubeadm join")
                            || c.startsWith("mkfs") || c.startsWith("kubectl"));
        }
    }

    @Test
    @Order(11)
    void aReplacedMasterRestoresTheNewestBackupAndRegistersItsOwnAddress() throws Exception {
        assertThat(bootedMaster).as("the staging master booted in the previous test").isNotNull();
        Deployed d = DEPLOYED.get(BOOTED);
        String masterGroup = d.physicalId("ClusterMasterGroupAutoScalingGroup", ASG);
        Instance old = bootedMaster.instance();

        // The instance shuts down: systemd stops kubecdk-dns.service (ExecStop), etcd goes with the node.
        runUnit(bootedMaster, "kubecdk-dns.service", "ExecStop");
        masterEtcd.close();
        masterEtcd = null;
        aws(d.region(), "autoscaling", "terminate-instance-in-auto-scaling-group", "--instance-id", old.id(),
                "--no-should-decrement-desired-capacity");
        List<Instance> now = instances(d, masterGroup);
        assertThat(now).as("the group replaced its master").singleElement()
                .satisfies(i -> assertThat(i.id()).isNotEqualTo(old.id()));
        Instance replacement = now.get(0);
        assertThat(aws(d.region(), "ec2", "describe-instances", "--instance-ids", old.id(), "--query",
                "Reservations[0].Instances[0].State.Name", "--output", "text")).isEqualTo("terminated");

        Node master = node(d, "replacement-master", replacement, userData(d, masterGroup), true);
        boot(List.of(master), "boot of the replacement");
        assertThat(master.sandbox().read("var/lib/kubecdk/etcd-restore.state"))
                .isEqualTo("RESTORE_RESULT='restored'\nRESTORE_SOURCE='" + newestBackup + "'\n");
        assertThat(master.sandbox().calls("kubeadm init")).singleElement().asString()
                .endsWith("--ignore-preflight-errors=DirAvailable--var-lib-etcd");
        for (String file : ScriptSandbox.PKI_FILES) {
            assertThat(master.sandbox().read("etc/kubernetes/pki/" + file)).isEqualTo(file + " of the staging rehearsal\n");
        }
        try (LocalEtcd restored = new LocalEtcd(nodeName(d, replacement), master.sandbox().path("var/lib/etcd"))) {
            Map<String, String> read = restored.start().getPrefix("/registry/rehearsal/");
            assertThat(read).as("keys after the restore").isEqualTo(backedUpKeys);
        }
        assertThat(record(d, replacement.hostname() + ".staging.kube.", "A").path("ResourceRecords")
                .findValuesAsText("Value")).containsExactly(replacement.privateIp());
        if (!old.hostname().equals(replacement.hostname())) {
            assertThat(recordOrNull(d, old.hostname() + ".staging.kube.", "A")).as("old master's record").isNull();
        }
        FIGURES.add(String.format("rehearsal kubecdk-staging: master %s (%s) replaced by %s (%s), restored %d keys"
                + " from %s", old.id(), old.privateIp(), replacement.id(), replacement.privateIp(),
                backedUpKeys.size(), newestBackup));
    }

    // --- nodes -----------------------------------------------------------------------------------

    private static Node node(Deployed d, String name, Instance instance, String userData, boolean master)
            throws IOException {
        Map<String, String> metadata = new HashMap<>(Map.of("instance-id", instance.id(), "local-ipv4",
                instance.privateIp(), "placement/availability-zone", instance.zone(), "placement/region", d.region()));
        if (instance.publicIp() != null) {
            metadata.put("public-ipv4", instance.publicIp());
        }
        FakeImds imds = FakeImds.serving(metadata);
        METADATA_SERVERS.add(imds);
        Path calico = temp.resolve("calico.yaml");
        if (!Files.exists(calico)) {
            Files.writeString(calico, CALICO_FIXTURE);
        }
        ScriptSandbox sandbox = ScriptSandbox.create(temp)
                // the user-data reads its metadata with the real curl
                .removeStandin("curl")
                .env(moto.awsEnv())
                .env("AWS_DEFAULT_REGION", d.region())
                .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint())
                .env("NODE_HOSTNAME", instance.hostname())
                .env("NODE_NAME", nodeName(d, instance))
                .env("CALICO_MANIFEST_URL", "file://" + calico)
                .env("STANDIN_API_ENDPOINT", "master." + d.source().environment() + ".kube:6443")
                // concurrent load-balancer minions try the same address first and race for it
                .env("EIP_PICK_ORDER", "sorted")
                .env("JOIN_WAIT_SECONDS", "60")
                .env("RESTORE_S3_WAIT_SECONDS", "30");
        if (master) {
            sandbox.writeFile("dev/sdf", "");
        }
        Path file = sandbox.path("user-data.sh");
        Files.writeString(file, userData);
        return new Node(name, instance, imds, sandbox, file);
    }

    /** Boots NODES at the same moment, as systemd would: user-data, then the node's DNS unit. */
    private static void boot(List<Node> nodes, String what) {
        List<Processes.Running> running = new ArrayList<>();
        long start = System.nanoTime();
        for (Node node : nodes) {
            running.add(node.sandbox().startBash(node.userData()));
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            ProcessResult result = running.get(i).await(Duration.ofMinutes(3));
            assertThat(result.exitCode()).as("%s of %s: %s", what, node.name(), result.describe()).isZero();
            assertThat(node.imds().rejectedReads()).as("metadata reads without a token").isZero();
            FIGURES.add(String.format("rehearsal kubecdk-%s: %s of %s (%s, %s) took %.1f s", BOOTED, what,
                    node.name(), node.instance().id(), node.instance().privateIp(),
                    result.elapsed().toMillis() / 1000.0));
        }
        for (Node node : nodes) {
            // the boot asks systemd to start the unit; systemd runs its ExecStart
            assertThat(node.sandbox().calls()).contains("systemctl enable --now kubecdk-dns.service");
            runUnit(node, "kubecdk-dns.service", "ExecStart");
        }
        System.out.printf("rehearsal: %s of %d node(s) in %.1f s%n", what, nodes.size(), seconds(start));
    }

    /** Runs the KEY command (ExecStart, ExecStop) of the systemd UNIT the node installed, as systemd would. */
    private static ProcessResult runUnit(Node node, String unit, String key) {
        String prefix = key + "=/usr/bin/env bash /opt/kubecdk/scripts/";
        String line = node.sandbox().read("etc/systemd/system/" + unit).lines().filter(l -> l.startsWith(prefix))
                .findFirst().orElseThrow(() -> new AssertionError(unit + " has no " + key));
        String[] command = line.substring(prefix.length()).split(" ");
        ProcessResult result = node.sandbox().run(command[0], java.util.Arrays.copyOfRange(command, 1, command.length));
        assertThat(result.exitCode()).as("%s %s on %s: %s", unit, key, node.name(), result.describe()).isZero();
        return result;
    }

    // --- emulator queries ------------------------------------------------------------------------

    private static List<Instance> instances(Deployed d, String group) {
        JsonNode asg = json(d.region(), "autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names",
                group).path("AutoScalingGroups").path(0);
        List<String> ids = asg.path("Instances").findValuesAsText("InstanceId");
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of("ec2", "describe-instances", "--instance-ids"));
        command.addAll(ids);
        List<Instance> result = new ArrayList<>();
        json(d.region(), command.toArray(String[]::new)).path("Reservations").forEach(r -> r.path("Instances")
                .forEach(i -> result.add(new Instance(i.path("InstanceId").asText(),
                        i.path("Placement").path("AvailabilityZone").asText(), i.path("PrivateIpAddress").asText(),
                        i.hasNonNull("PublicIpAddress") ? i.path("PublicIpAddress").asText() : null,
                        i.path("SubnetId").asText(), i.path("State").path("Name").asText()))));
        result.sort(java.util.Comparator.comparing(Instance::id));
        return result;
    }

    /** The user-data of the group's launch template version, as deployed. */
    private static String userData(Deployed d, String group) {
        JsonNode template = json(d.region(), "autoscaling", "describe-auto-scaling-groups",
                "--auto-scaling-group-names", group).path("AutoScalingGroups").path(0).path("LaunchTemplate");
        String encoded = aws(d.region(), "ec2", "describe-launch-template-versions", "--launch-template-id",
                template.path("LaunchTemplateId").asText(), "--versions", template.path("Version").asText(),
                "--query", "LaunchTemplateVersions[0].LaunchTemplateData.UserData", "--output", "text");
        String userData = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        assertThat(userData).contains("readonly SCRIPTS_BUCKET='" + d.bucket() + "'")
                .contains("readonly BUNDLE_HASH='" + ScriptsBundle.fromClassPath().hash() + "'");
        return userData;
    }

    private static JsonNode record(Deployed d, String name, String type) {
        JsonNode record = recordOrNull(d, name, type);
        assertThat(record).as("%s %s in zone %s", type, name, d.zoneId()).isNotNull();
        return record;
    }

    private static JsonNode recordOrNull(Deployed d, String name, String type) {
        for (JsonNode r : json(d.region(), "route53", "list-resource-record-sets", "--hosted-zone-id", d.zoneId())
                .path("ResourceRecordSets")) {
            if (r.path("Name").asText().equals(name) && r.path("Type").asText().equals(type)) {
                return r;
            }
        }
        return null;
    }

    /** Pool addresses that are associated: instance id to allocation id. */
    private static Map<String, String> heldAddresses(Deployed d, String pool) {
        Map<String, String> held = new TreeMap<>();
        json(d.region(), "ec2", "describe-addresses", "--filters", "Name=tag:kubecdk:eip-pool,Values=" + pool)
                .path("Addresses").forEach(a -> {
                    if (a.hasNonNull("InstanceId") && !a.path("InstanceId").asText().isEmpty()) {
                        assertThat(held.put(a.path("InstanceId").asText(), a.path("AllocationId").asText()))
                                .as("second address of %s", a.path("InstanceId").asText()).isNull();
                    }
                });
        return held;
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static List<String> synthesizedZones(JsonNode template) {
        Set<String> zones = new TreeSet<>();
        template.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::EC2::Subnet")) {
                zones.add(r.path("Properties").path("AvailabilityZone").asText());
            }
        });
        return new ArrayList<>(zones);
    }

    private static String nodeName(Deployed d, Instance instance) {
        return instance.hostname() + "." + d.region() + ".compute.internal";
    }

    private static String aws(String region, String... args) {
        List<String> command = new ArrayList<>(List.of("--region", region));
        command.addAll(List.of(args));
        return moto.aws(command.toArray(String[]::new));
    }

    private static JsonNode json(String region, String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--output", "json"));
        String out = aws(region, command.toArray(String[]::new));
        try {
            return SynthesizedEnvironments.JSON.readTree(out.isEmpty() ? "{}" : out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> keys(String generation, int count) {
        Map<String, String> keys = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            keys.put(String.format("/registry/rehearsal/%s-%03d", generation, i), "value-" + i + "-" + generation);
        }
        return keys;
    }

    /** Backups are named by the UTC second; waits until the next one could not collide with PREFIX. */
    private static void awaitNextSecond(String prefix) {
        String stamp = prefix.replaceAll("^etcd-backups/(\\d{8}T\\d{6}Z)/$", "$1");
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter
                .ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
        while (format.format(java.time.Instant.now()).compareTo(stamp) <= 0) {
            Processes.sleep(100);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
