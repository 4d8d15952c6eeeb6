package io.kubecdk.userdata;

import io.kubecdk.config.EnvironmentConfig;
import io.kubecdk.spec.ClusterSpec;
import io.kubecdk.spec.MinionGroupSpec;
import io.kubecdk.spec.NodeRole;
import io.kubecdk.testsupport.FakeImds;
import io.kubecdk.testsupport.MotoServer;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.Tools;
import io.kubecdk.testsupport.Scenarios;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered user-data, run for real under bash: against an IMDSv2-only metadata server and the
 * local AWS emulator, as on a booting instance, with {@code KUBECDK_ROOT} as the node's file system.
 */
class UserDataBootTest {
    private static final String BUCKET = "kubecdk-dev-scripts";
    private static final int USER_DATA_LIMIT = 16 * 1024;
    @AutoClose
    private static MotoServer moto;
    private static String masterIp;

    private static final ClusterSpec SPEC = ClusterSpec.builder("dev").region("eu-west-1")
            .minionGroup(MinionGroupSpec.builder("edge").role(NodeRole.LOADBALANCER).maxSize(2)
                    .labels(Map.of("tier", "edge", "team", "platform")).build())
            .build();

    @BeforeAll
    static void startEmulator() {
        moto = MotoServer.start();
        moto.aws("s3api", "create-bucket", "--bucket", BUCKET, "--create-bucket-configuration",
                "LocationConstraint=" + MotoServer.REGION);
        String image = moto.aws("ec2", "describe-images", "--query", "Images[0].ImageId", "--output", "text");
        moto.aws("ec2", "run-instances", "--image-id", image, "--instance-type", "t3.medium",
                "--count", "1", "--tag-specifications",
                "ResourceType=instance,Tags=[{Key=kubecdk:environment,Value=dev},{Key=kubecdk:role,Value=master}]");
        masterIp = moto.aws("ec2", "describe-instances", "--filters", "Name=tag:kubecdk:role,Values=master",
                "--query", "Reservations[0].Instances[0].PrivateIpAddress", "--output", "text");
    }

    @Test
    void everyEnvironmentsUserDataIsSmallValidBashAndShellcheckClean(@TempDir Path dir) throws Exception {
        Path shellcheck = Tools.require("shellcheck");
        Object environments = Scenarios.cdkJsonContext().get("environments");
        List<String> sizes = new ArrayList<>();
        for (ClusterSpec spec : EnvironmentConfig.readAll(environments, "environments").values()) {
            NodeBootstrap bootstrap = new NodeBootstrap(spec, "bucket-of-" + spec.environment(), "Z0123456789ABC",
                    ScriptsBundle.fromClassPath(), "/dev/sdf");
            List<BootstrapModel> models = new ArrayList<>();
            models.add(bootstrap.master());
            spec.minionGroups().forEach(g -> models.add(bootstrap.minion(g, spec.environment() + "-" + g.name())));
            for (BootstrapModel model : models) {
                String userData = UserDataRenderer.render(model);
                byte[] bytes = userData.getBytes(StandardCharsets.UTF_8);
                sizes.add(spec.environment() + "/" + model.group() + " " + bytes.length + " B");
                assertThat(bytes.length).as("user-data of %s/%s", spec.environment(), model.group())
                        .isLessThan(USER_DATA_LIMIT);
                Path file = dir.resolve(spec.environment() + "-" + model.group() + ".sh");
                Files.write(file, bytes);
                ProcessResult syntax = Processes.run(List.of("bash", "-n", file.toString()), null, Map.of(),
                        Duration.ofSeconds(30));
                assertThat(syntax.exitCode()).as(syntax.describe()).isZero();
                ProcessResult lint = Processes.run(List.of(shellcheck.toString(), "-s", "bash", file.toString()),
                        null, Map.of(), Duration.ofSeconds(60));
                assertThat(lint.exitCode()).as("shellcheck %s:%n%s", file.getFileName(), lint.stdout()).isZero();
            }
        }
        System.out.println("user-data sizes: " + String.join(", ", sizes));
    }

    @Test
    void aLoadBalancerMinionWritesItsEnvironmentFileFetchesTheVerifiedBundleAndRunsItOnce(@TempDir Path dir)
            throws Exception {
        ScriptsBundle bundle = ScriptsBundle.of(Map.of("bootstrap-minion.sh", (
                "#!/usr/bin/env bash\nset -euo pipefail\n"
                + "source \"${KUBECDK_ROOT}/etc/kubecdk/cluster.env\"\n"
                + "echo \"$NODE_ROLE $MINION_GROUP $EIP_POOL\" >> \"${KUBECDK_ROOT}/bootstrap-runs\"\n")
                .getBytes(StandardCharsets.UTF_8)));
        publish(bundle, dir);
        String userData = UserDataRenderer.render(bootstrap(bundle).minion(SPEC.minionGroup("edge").orElseThrow(), "dev-edge"));
        Path root = Files.createDirectories(dir.resolve("node"));
        try (FakeImds imds = FakeImds.serving(instance("i-0123456789abcdef0", "10.0.7.12", "203.0.113.9"))) {
            ProcessResult first = boot(userData, root, imds);
            assertThat(first.exitCode()).as(first.describe()).isZero();
            assertThat(Files.readString(root.resolve("etc/kubecdk/cluster.env"))).isEqualTo(String.join("\n",
                    "API_ENDPOINT='master.dev.kube:6443'",
                    "AVAIL_ZONE='eu-west-1b'",
                    "BACKUP_PREFIX='etcd-backups/'",
                    "CLUSTER_NAME='kubecdk-dev'",
                    "EIP_POOL='dev-edge'",
                    "ENVIRONMENT='dev'",
                    "INSTANCE_ID='i-0123456789abcdef0'",
                    "JOIN_PREFIX='join/'",
                    "KUBERNETES_RELEASE='v1.34'",
                    "KUBERNETES_VERSION='1.34.1'",
                    "MASTER_IP='" + masterIp + "'",
                    "MINION_GROUP='edge'",
                    "NODE_LABELS='team=platform,tier=edge'",
                    "NODE_ROLE='loadbalancer'",
                    "POD_CIDR='192.168.0.0/16'",
                    "POD_NETWORK='calico'",
                    "PRIVATE_IP='10.0.7.12'",
                    "PRIVATE_ZONE='dev.kube'",
                    "PUBLIC_IP='203.0.113.9'",
                    "REGION='eu-west-1'",
                    "SCRIPTS_BUCKET='" + BUCKET + "'",
                    "SERVICE_CIDR='10.96.0.0/12'",
                    "ZONE_ID='Z0123456789ABC'", ""));
            assertThat(Files.readString(root.resolve("bootstrap-runs"))).isEqualTo("loadbalancer edge dev-edge\n");
            assertThat(imds.rejectedReads()).as("metadata reads without an IMDSv2 token").isZero();

            ProcessResult second = boot(userData, root, imds);
            assertThat(second.exitCode()).as(second.describe()).isZero();
            assertThat(second.stderr()).contains("scripts bundle " + bundle.hash() + " already installed");
            assertThat(Files.readString(root.resolve("bootstrap-runs"))).hasLineCount(2);
        }
    }

    @Test
    void aMasterWithoutAPublicAddressAdvertisesEtcdOnItsPrivateIp(@TempDir Path dir) throws Exception {
        ScriptsBundle bundle = ScriptsBundle.of(Map.of("bootstrap-master.sh",
                "#!/usr/bin/env bash\ntouch \"${KUBECDK_ROOT}/master-ran\"\n".getBytes(StandardCharsets.UTF_8)));
        publish(bundle, dir);
        String userData = UserDataRenderer.render(bootstrap(bundle).master());
        Path root = Files.createDirectories(dir.resolve("node"));
        try (FakeImds imds = FakeImds.serving(instance("i-0aaaaaaaaaaaaaaaa", "10.0.40.5", null))) {
            ProcessResult result = boot(userData, root, imds);
            assertThat(result.exitCode()).as(result.describe()).isZero();
        }
        assertThat(Files.readAllLines(root.resolve("etc/kubecdk/cluster.env"))).contains(
                "ADVERTISE_CLIENT_URLS='https://10.0.40.5:2379'",
                "LISTEN_CLIENT_URLS='https://127.0.0.1:2379,https://10.0.40.5:2379'",
                "LISTEN_PEER_URLS='https://10.0.40.5:2380'",
                "MASTER_IP='10.0.40.5'", "ETCD_DEVICE='/dev/sdf'", "NODE_ROLE='master'", "BACKUP_INTERVAL_MINUTES='15'")
                .noneMatch(line -> line.startsWith("PUBLIC_IP="));
        assertThat(root.resolve("master-ran")).exists();
    }

    @Test
    void aBundleWhoseFilesDoNotMatchItsManifestIsNeverRun(@TempDir Path dir) throws Exception {
        ScriptsBundle bundle = ScriptsBundle.of(Map.of("bootstrap-minion.sh",
                "#!/usr/bin/env bash\ntouch \"${KUBECDK_ROOT}/tampered-ran\"\n".getBytes(StandardCharsets.UTF_8)));
        Path staged = bundle.stageIn(Files.createDirectories(dir.resolve("stage")));
        Files.writeString(staged.resolve("bootstrap-minion.sh"), "#!/usr/bin/env bash\ntouch \"${KUBECDK_ROOT}/tampered-ran\"\n# changed\n");
        moto.aws("s3", "cp", "--recursive", "--only-show-errors", staged.toString(), "s3://" + BUCKET + "/" + bundle.keyPrefix());
        String userData = UserDataRenderer.render(bootstrap(bundle).minion(SPEC.minionGroup("edge").orElseThrow(), "dev-edge"));
        Path root = Files.createDirectories(dir.resolve("node"));
        try (FakeImds imds = FakeImds.serving(instance("i-0bbbbbbbbbbbbbbbb", "10.0.8.8", "203.0.113.10"))) {
            ProcessResult result = boot(userData, root, imds);
            assertThat(result.exitCode()).as(result.describe()).isNotZero();
            assertThat(result.stdout() + result.stderr()).contains("bootstrap-minion.sh: FAILED");
        }
        assertThat(root.resolve("tampered-ran")).doesNotExist();
        assertThat(root.resolve("opt/kubecdk/scripts")).doesNotExist();
    }

    /** The dev spec's bootstrap, with the scripts bundle the test publishes. */
    private static NodeBootstrap bootstrap(ScriptsBundle bundle) {
        return new NodeBootstrap(SPEC, BUCKET, "Z0123456789ABC", bundle, "/dev/sdf");
    }

    private static void publish(ScriptsBundle bundle, Path dir) throws Exception {
        Path staged = bundle.stageIn(Files.createDirectories(dir.resolve("stage")));
        moto.aws("s3", "cp", "--recursive", "--only-show-errors", staged.toString(), "s3://" + BUCKET + "/" + bundle.keyPrefix());
    }

    private static Map<String, String> instance(String id, String privateIp, String publicIp) {
        Map<String, String> metadata = new HashMap<>(Map.of("instance-id", id, "local-ipv4", privateIp,
                "placement/availability-zone", "eu-west-1b", "placement/region", "eu-west-1"));
        if (publicIp != null) {
            metadata.put("public-ipv4", publicIp);
        }
        return metadata;
    }

    private static ProcessResult boot(String userData, Path root, FakeImds imds) throws Exception {
        Path script = root.resolveSibling(root.getFileName() + "-user-data.sh");
        Files.writeString(script, userData);
        Map<String, String> env = new HashMap<>(moto.awsEnv());
        env.put("KUBECDK_ROOT", root.toString());
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint());
        return Processes.run(List.of("bash", script.toString()), null, env, Duration.ofSeconds(120));
    }
}
