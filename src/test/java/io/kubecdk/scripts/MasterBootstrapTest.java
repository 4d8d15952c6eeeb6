package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ClusterEnv;
import io.kubecdk.testsupport.MotoServer;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.ScriptSandbox;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bootstrap-master.sh on a sandboxed node against the AWS emulator: the order of the boot steps,
 * what each decides from the state of S3, and that a second run does no work twice.
 */
class MasterBootstrapTest {

    private static final String CALICO_FIXTURE = String.join("\n",
            "kind: DaemonSet",
            "            # - name: CALICO_IPV4POOL_CIDR",
            "            #   value: \"192.168.0.0/16\"",
            "");
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @AutoClose
    private static MotoServer moto;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulator() {
        moto = MotoServer.start();
    }

    private String newBucket() {
        String bucket = "master-test-" + BUCKETS.incrementAndGet();
        moto.aws("s3api", "create-bucket", "--bucket", bucket,
                "--create-bucket-configuration", "LocationConstraint=" + MotoServer.REGION);
        return bucket;
    }

    private ScriptSandbox master(String bucket) {
        return ScriptSandbox.create(temp)
                .clusterEnv(ClusterEnv.master(bucket))
                .env(moto.awsEnv())
                .env("STANDIN_API_ENDPOINT", "master.test.kube:6443")
                .addStandin("etcdctl")
                .writeFile("standin-fixtures/calico.yaml", CALICO_FIXTURE);
    }

    /** Uploads a backup made of SNAPSHOT and a PKI whose files say TAG; CORRUPT breaks its checksum. */
    private void uploadBackup(ScriptSandbox node, String bucket, String stamp, String snapshot, String tag,
            boolean corrupt) {
        Path dir = node.path("made-backups/" + stamp);
        for (String file : ScriptSandbox.PKI_FILES) {
            node.writeFile("made-backups/" + stamp + "/pki/" + file, file + " " + tag + "\n");
        }
        node.writeFile("made-backups/" + stamp + "/snapshot.db", snapshot);
        ProcessResult made = node.bash("cd '" + dir + "' && tar -C pki -czf pki.tar.gz "
                + String.join(" ", ScriptSandbox.PKI_FILES) + " && sha256sum snapshot.db pki.tar.gz > SHA256SUMS"
                + (corrupt ? " && echo tampered >> snapshot.db" : "") + " && rm -r pki");
        assertThat(made.exitCode()).as(made.describe()).isZero();
        moto.aws("s3", "cp", "--recursive", dir.toString(), "s3://" + bucket + "/etcd-backups/" + stamp + "/");
    }

    @Test
    void freshClusterFormatsMountsInitsAndPublishesJoinDataOnceEvenWhenRunTwice() {
        String bucket = newBucket();
        ScriptSandbox node = master(bucket).writeFile("dev/sdf", "");

        ProcessResult first = node.run("bootstrap-master.sh");
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(first.stderr()).contains("no backup found: a fresh cluster will be initialised");

        String device = node.path("dev/sdf").toString();
        String etcdDir = node.path("var/lib/etcd").toString();
        assertThat(node.calls()).containsSubsequence(
                "modprobe br_netfilter",
                "sysctl --system",
                "dnf install -y containerd iproute-tc",
                "dnf install -y --disableexcludes=kubernetes kubelet-1.31.4 kubeadm-1.31.4 kubectl-1.31.4",
                "systemctl enable --now containerd",
                "systemctl enable --now kubecdk-dns.service",
                "mkfs.xfs -L etcd " + device,
                "kubeadm init --config " + node.path("etc/kubecdk/kubeadm-init.yaml") + " --upload-certs",
                "kubectl --kubeconfig " + node.path("etc/kubernetes/admin.conf") + " apply -f "
                        + node.path("var/lib/kubecdk/pod-network/calico.yaml"),
                "kubeadm token create --ttl 24h --print-join-command --kubeconfig "
                        + node.path("etc/kubernetes/admin.conf")
                        + " --description kubecdk join data for kubecdk-test",
                "systemctl enable --now kubecdk-join-refresh.timer kubecdk-etcd-backup.timer");
        assertThat(node.calls("mount ")).singleElement().asString().endsWith(" " + etcdDir);
        assertThat(node.calls("kubeadm init")).singleElement().asString()
                .doesNotContain("ignore-preflight-errors");
        assertThat(node.calls("etcdctl")).isEmpty();
        assertThat(node.read("etc/fstab")).matches("UUID=\\S+ /var/lib/etcd xfs defaults,noatime,nofail 0 2\\n");

        assertThat(node.read("etc/kubecdk/kubeadm-init.yaml"))
                .contains("apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration")
                .contains("controlPlaneEndpoint: \"master.test.kube:6443\"")
                .contains("kubernetesVersion: \"v1.31.4\"")
                .contains("podSubnet: \"10.244.0.0/16\"\n  serviceSubnet: \"10.96.0.0/12\"")
                .contains("advertiseAddress: \"10.0.1.5\"")
                .contains("  - name: node-labels\n    value: \"kubecdk.io/role=master,"
                        + "topology.kubernetes.io/zone=eu-west-1a,team=platform,tier=general\"")
                .contains("cgroupDriver: systemd");
        assertThat(node.read("var/lib/kubecdk/pod-network/calico.yaml"))
                .contains("- name: CALICO_IPV4POOL_CIDR\n              value: \"10.244.0.0/16\"");

        String joinEnv = moto.aws("s3", "cp", "s3://" + bucket + "/join/join.env", "-");
        assertThat(joinEnv).matches("(?s)JOIN_CA_CERT_HASH='sha256:[0-9a-f]{64}'\n"
                + "JOIN_ENDPOINT='master.test.kube:6443'\n"
                + "JOIN_TOKEN='abcdef\\.[0-9a-f]{16}'\n"
                + "JOIN_TOKEN_EXPIRES='\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ'");
        assertThat(moto.aws("s3api", "head-object", "--bucket", bucket, "--key", "join/join.env",
                "--query", "ServerSideEncryption", "--output", "text")).isEqualTo("aws:kms");

        assertThat(node.read("etc/systemd/system/kubecdk-etcd-backup.timer"))
                .contains("OnUnitActiveSec=15min");
        assertThat(node.read("etc/systemd/system/kubecdk-etcd-backup.service"))
                .contains("ExecStart=/usr/bin/env bash /opt/kubecdk/scripts/etcd-backup.sh");
        assertThat(node.read("etc/systemd/system/kubecdk-join-refresh.timer")).contains("OnUnitActiveSec=12h");
        assertThat(node.read("etc/systemd/system/kubecdk-dns.service"))
                .contains("ExecStart=/usr/bin/env bash /opt/kubecdk/scripts/dns-register.sh register")
                .contains("ExecStop=/usr/bin/env bash /opt/kubecdk/scripts/dns-register.sh deregister");

        int callsAfterFirstRun = node.calls().size();
        ProcessResult second = node.run("bootstrap-master.sh");
        assertThat(second.exitCode()).as(second.describe()).isZero();
        List<String> secondRun = node.calls().subList(callsAfterFirstRun, node.calls().size());
        assertThat(secondRun).noneMatch(c -> c.startsWith("mkfs") || c.startsWith("mount ")
                || c.startsWith("kubeadm") || c.startsWith("kubectl") || c.startsWith("dnf")
                || c.equals("systemctl daemon-reload"));
        assertThat(moto.aws("s3", "cp", "s3://" + bucket + "/join/join.env", "-")).isEqualTo(joinEnv.trim());
        assertThat(node.read("etc/fstab").lines()).hasSize(1);
    }

    @Test
    void newestIntactBackupIsRestoredOntoTheNvmeVolumeAndInitRunsOnIt() {
        String bucket = newBucket();
        ScriptSandbox node = master(bucket)
                .writeFile("dev/nvme0n1", "").writeFile("dev/nvme0n1.ebsname", "xvda")
                .writeFile("dev/nvme1n1", "").writeFile("dev/nvme1n1.ebsname", "sdf");
        uploadBackup(node, bucket, "20240101T000000Z", "SNAPSHOT-OLDEST", "oldest", false);
        uploadBackup(node, bucket, "20240102T000000Z", "SNAPSHOT-GOOD", "good", false);
        uploadBackup(node, bucket, "20240103T000000Z", "SNAPSHOT-TAMPERED", "tampered", true);
        uploadBackup(node, bucket, "20240104T000000Z", "SNAPSHOT CORRUPT", "unrestorable", false);

        ProcessResult result = node.run("bootstrap-master.sh");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stderr())
                .contains("backup etcd-backups/20240104T000000Z/: etcd snapshot restore failed")
                .contains("backup etcd-backups/20240103T000000Z/: checksum mismatch")
                .contains("restored etcd and PKI from etcd-backups/20240102T000000Z/");
        assertThat(node.calls("mkfs")).containsExactly("mkfs.xfs -L etcd " + node.path("dev/nvme1n1"));
        assertThat(node.read("var/lib/etcd/member/snap/db")).isEqualTo("SNAPSHOT-GOOD");
        assertThat(node.read("etc/kubernetes/pki/ca.key")).isEqualTo("ca.key good\n");
        assertThat(node.read("etc/kubernetes/pki/etcd/ca.crt")).isEqualTo("etcd/ca.crt good\n");
        assertThat(node.path("var/lib/etcd")).isDirectoryNotContaining(p -> p.getFileName().toString()
                .startsWith(".restore"));
        List<String> calls = node.calls();
        int lastRestore = -1;
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith("etcdctl snapshot restore")) {
                lastRestore = i;
            }
        }
        assertThat(lastRestore).as("etcdctl snapshot restore called").isNotNegative();
        assertThat(calls.get(lastRestore)).contains("--name ip-10-0-1-5.eu-west-1.compute.internal")
                .contains("--initial-cluster ip-10-0-1-5.eu-west-1.compute.internal=https://10.0.1.5:2380");
        assertThat(calls.subList(lastRestore, calls.size())).contains(
                "kubeadm init --config " + node.path("etc/kubecdk/kubeadm-init.yaml")
                        + " --upload-certs --ignore-preflight-errors=DirAvailable--var-lib-etcd");
    }

    @Test
    void unreachableS3IsRetriedForTheBudgetThenFailsWithoutInit() {
        String bucket = newBucket();
        int closedPort = MotoServer.freePort();
        ScriptSandbox node = master(bucket).writeFile("dev/sdf", "")
                .env(MotoServer.awsEnv("http://127.0.0.1:" + closedPort))
                .env(Map.of("RESTORE_S3_WAIT_SECONDS", "6", "AWS_MAX_ATTEMPTS", "1"));

        ProcessResult result = node.run("bootstrap-master.sh");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr())
                .contains("attempt 1 failed (exit 1): list_backups; retrying in")
                .contains("attempt 2 failed (exit 1): list_backups; retrying in")
                .contains("(budget 6s, exit 1): list_backups")
                .contains("refusing to start an empty etcd while a backup may exist")
                .contains("etcd restore failed; not initialising the cluster");
        assertThat(node.calls("kubeadm")).isEmpty();
        assertThat(node.path("var/lib/kubecdk/kubeadm-init.done")).doesNotExist();
    }

    @Test
    void flannelIsInstalledWithThePodCidrOfTheCluster() {
        String bucket = newBucket();
        Map<String, String> env = ClusterEnv.master(bucket);
        env.put("POD_NETWORK", "flannel");
        env.put("POD_CIDR", "172.20.0.0/16");
        ScriptSandbox node = master(bucket).clusterEnv(env).writeFile("dev/sdf", "")
                .writeFile("standin-fixtures/kube-flannel.yml",
                        "  net-conf.json: |\n    {\n      \"Network\": \"10.244.0.0/16\",\n    }\n");

        ProcessResult result = node.run("bootstrap-master.sh");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(node.read("var/lib/kubecdk/pod-network/kube-flannel.yml")).contains("\"Network\": \"172.20.0.0/16\"");
        assertThat(node.calls("curl")).singleElement().asString()
                .endsWith("https://github.com/flannel-io/flannel/releases/download/v0.25.7/kube-flannel.yml");
        assertThat(node.calls("kubectl")).singleElement().asString()
                .endsWith("apply -f " + node.path("var/lib/kubecdk/pod-network/kube-flannel.yml"));
    }

    @Test
    void anUnknownPodNetworkStopsTheBootBeforeAnythingIsDone() {
        Map<String, String> env = ClusterEnv.master("no-bucket-needed");
        env.put("POD_NETWORK", "weave");
        ScriptSandbox node = master("no-bucket-needed").clusterEnv(env);

        ProcessResult result = node.run("bootstrap-master.sh");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("unsupported POD_NETWORK weave (calico, flannel or cilium)");
        assertThat(node.calls()).isEmpty();
    }

    @Test
    void backupsThatAllFailToRestoreStopTheBootWithoutInit() {
        String bucket = newBucket();
        ScriptSandbox node = master(bucket).writeFile("dev/sdf", "");
        uploadBackup(node, bucket, "20240101T000000Z", "SNAPSHOT", "only", true);

        ProcessResult result = node.run("bootstrap-master.sh");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("none of the 1 backups could be restored; not starting an empty etcd");
        assertThat(node.calls("kubeadm")).isEmpty();
        assertThat(node.path("var/lib/etcd/member")).doesNotExist();
    }
}
