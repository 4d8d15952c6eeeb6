package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ClusterEnv;
import io.kubecdk.testsupport.MotoServer;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.ScriptSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bootstrap-minion.sh: waits for the master's join data, then joins once with its labels. */
class MinionBootstrapTest {

    private static final String HASH = "sha256:" + "ab".repeat(32);
    private static final String JOIN_ENV = "JOIN_CA_CERT_HASH='" + HASH + "'\n"
            + "JOIN_ENDPOINT='master.test.kube:6443'\n"
            + "JOIN_TOKEN='abcdef.0123456789abcdef'\n"
            + "JOIN_TOKEN_EXPIRES='2030-01-01T00:00:00Z'\n";

    @AutoClose
    private static MotoServer moto;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulator() {
        moto = MotoServer.start();
        moto.aws("s3api", "create-bucket", "--bucket", "minion-join", "--create-bucket-configuration",
                "LocationConstraint=" + MotoServer.REGION);
        moto.aws("s3api", "create-bucket", "--bucket", "minion-nojoin", "--create-bucket-configuration",
                "LocationConstraint=" + MotoServer.REGION);
    }

    @Test
    void waitsForTheJoinDataThenJoinsOnceWithRoleGroupZoneAndExtraLabels() throws Exception {
        ScriptSandbox node = ScriptSandbox.create(temp)
                .clusterEnv(ClusterEnv.minion("minion-join", "worker", "workers"))
                .env(moto.awsEnv())
                .env("JOIN_WAIT_SECONDS", "60");

        Processes.Running minion = node.start("bootstrap-minion.sh");
        Path log = node.path("standin-calls.log");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.readString(log).contains("systemctl enable --now kubecdk-dns.service")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2500);
        Path joinFile = temp.resolve("join.env");
        Files.writeString(joinFile, JOIN_ENV);
        moto.aws("s3", "cp", "--sse", "aws:kms", joinFile.toString(), "s3://minion-join/join/join.env");
        ProcessResult result = minion.await(Duration.ofMinutes(2));

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stderr()).contains("waiting up to 60s for s3://minion-join/join/join.env")
                .contains("attempt 1 failed").contains("fetch_join_data");
        String config = node.path("etc/kubecdk/kubeadm-join.yaml").toString();
        assertThat(node.calls("kubeadm")).containsExactly("kubeadm join --config " + config);
        assertThat(node.read("etc/kubecdk/kubeadm-join.yaml"))
                .contains("kind: JoinConfiguration")
                .contains("apiServerEndpoint: \"master.test.kube:6443\"")
                .contains("token: \"abcdef.0123456789abcdef\"")
                .contains("caCertHashes:\n    - \"" + HASH + "\"")
                .contains("  - name: node-labels\n    value: \"kubecdk.io/role=worker,kubecdk.io/group=workers,"
                        + "topology.kubernetes.io/zone=eu-west-1a,team=platform,tier=general\"")
                .doesNotContain("node-role.kubernetes.io");
        assertThat(Files.getPosixFilePermissions(node.path("etc/kubecdk/kubeadm-join.yaml")))
                .extracting(Object::toString).containsOnly("OWNER_READ", "OWNER_WRITE");
        assertThat(node.calls("eip")).isEmpty();

        ProcessResult again = node.run("bootstrap-minion.sh");
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stderr()).contains("already joined");
        assertThat(node.calls("kubeadm")).hasSize(1);
    }

    @Test
    void givesUpWithoutJoiningWhenNoJoinDataAppearsInTime() {
        ScriptSandbox node = ScriptSandbox.create(temp)
                .clusterEnv(ClusterEnv.minion("minion-nojoin", "worker", "workers"))
                .env(moto.awsEnv())
                .env(Map.of("JOIN_WAIT_SECONDS", "3"));

        ProcessResult result = node.run("bootstrap-minion.sh");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("no join data in s3://minion-nojoin/join/join.env");
        assertThat(node.calls("kubeadm")).isEqualTo(List.of());
        assertThat(node.path("var/lib/kubecdk/bootstrap-minion.done")).doesNotExist();
    }
}
