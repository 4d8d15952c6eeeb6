package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ClusterEnv;
import io.kubecdk.testsupport.LocalEtcd;
import io.kubecdk.testsupport.MotoServer;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.ScriptSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disaster-recovery drill with a real etcd and the S3 protocol of the emulator: back up, lose
 * the data, restore, and read every key back. No stand-in takes part in backup or restore.
 */
class EtcdDrillTest {

    private static final String NODE = "ip-10-0-1-5.eu-west-1.compute.internal";

    @AutoClose
    private static MotoServer moto;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulator() {
        moto = MotoServer.start();
    }

    private ScriptSandbox node(String bucket, LocalEtcd etcd) {
        moto.aws("s3api", "create-bucket", "--bucket", bucket,
                "--create-bucket-configuration", "LocationConstraint=" + MotoServer.REGION);
        Map<String, String> env = ClusterEnv.master(bucket);
        env.put("LISTEN_PEER_URLS", etcd.peerUrl());
        ScriptSandbox node = ScriptSandbox.create(temp)
                .clusterEnv(env)
                .env(moto.awsEnv())
                .env("ETCD_ENDPOINT", etcd.clientUrl());
        for (String file : ScriptSandbox.PKI_FILES) {
            node.writeFile("etc/kubernetes/pki/" + file, file + " of the drill cluster " + bucket + "\n");
        }
        return node;
    }

    private static Map<String, String> keys(int count, String generation) {
        Map<String, String> keys = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            keys.put(String.format("/registry/drill/key-%04d", i), "value-" + i + "-" + generation);
        }
        return keys;
    }

    private static String backup(ScriptSandbox node) {
        ProcessResult result = node.run("etcd-backup.sh");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout().trim();
    }

    @Test
    void backupWipeAndRestoreBringsBackEveryKeyAndThePki() throws IOException {
        Path dataDir = temp.resolve("etcd-data");
        try (LocalEtcd etcd = new LocalEtcd(NODE, dataDir)) {
            ScriptSandbox node = node("drill-full", etcd);
            Path restoredDir = node.path("var/lib/etcd");
            Map<String, String> written = keys(1000, "gen1");
            etcd.start().putAll(written);

            long backupStart = System.nanoTime();
            String prefix = backup(node);
            double backupSeconds = (System.nanoTime() - backupStart) / 1e9;

            assertThat(prefix).matches("etcd-backups/\\d{8}T\\d{6}Z/");
            assertThat(moto.aws("s3api", "list-objects-v2", "--bucket", "drill-full", "--prefix", prefix,
                    "--query", "Contents[].Key", "--output", "text").split("\\s+"))
                    .containsExactlyInAnyOrder(prefix + "SHA256SUMS", prefix + "pki.tar.gz", prefix + "snapshot.db");
            assertThat(moto.aws("s3", "cp", "s3://drill-full/etcd-backups/latest", "-")).isEqualTo(prefix);
            assertThat(moto.aws("s3api", "head-object", "--bucket", "drill-full", "--key", prefix + "pki.tar.gz",
                    "--query", "ServerSideEncryption", "--output", "text")).isEqualTo("aws:kms");
            long snapshotBytes = Long.parseLong(moto.aws("s3api", "head-object", "--bucket", "drill-full",
                    "--key", prefix + "snapshot.db", "--query", "ContentLength", "--output", "text"));

            etcd.stop();
            Map<String, byte[]> pki = new LinkedHashMap<>();
            for (String file : ScriptSandbox.PKI_FILES) {
                pki.put(file, Files.readAllBytes(node.path("etc/kubernetes/pki/" + file)));
            }
            ScriptSandbox.deleteTree(dataDir);
            ScriptSandbox.deleteTree(node.path("etc/kubernetes/pki"));

            long restoreStart = System.nanoTime();
            ProcessResult restore = node.run("etcd-restore.sh");
            double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
            assertThat(restore.exitCode()).as(restore.describe()).isZero();
            assertThat(node.read("var/lib/kubecdk/etcd-restore.state"))
                    .isEqualTo("RESTORE_RESULT='restored'\nRESTORE_SOURCE='" + prefix + "'\n");
            for (String file : ScriptSandbox.PKI_FILES) {
                assertThat(node.path("etc/kubernetes/pki/" + file)).hasBinaryContent(pki.get(file));
            }
            assertThat(node.path("etc/kubernetes/pki/ca.key").toFile().canRead()).isTrue();

            try (LocalEtcd restored = new LocalEtcd(NODE, restoredDir)) {
                // the restored member keeps the peer URL written by the restore; reuse the same ports
                Map<String, String> read = startOn(restored, etcd).getPrefix("/registry/drill/");
                assertThat(read).hasSize(1000).isEqualTo(written);
            }

            System.out.printf("etcd drill: keys=%d snapshotBytes=%d backupSeconds=%.2f restoreSeconds=%.2f%n",
                    written.size(), snapshotBytes, backupSeconds, restoreSeconds);

            ProcessResult again = node.run("etcd-restore.sh");
            assertThat(again.exitCode()).as(again.describe()).isZero();
            assertThat(node.read("var/lib/kubecdk/etcd-restore.state")).startsWith("RESTORE_RESULT='existing'");
        }
    }

    @Test
    void corruptNewerBackupsAreSkippedForThePreviousGoodOne() throws IOException {
        Path dataDir = temp.resolve("etcd-data");
        try (LocalEtcd etcd = new LocalEtcd(NODE, dataDir)) {
            ScriptSandbox node = node("drill-corrupt", etcd);
            etcd.start();
            etcd.putAll(keys(200, "gen1"));
            String good = backup(node);
            etcd.putAll(keys(200, "gen2"));
            String mismatch = backup(node);
            etcd.putAll(keys(200, "gen3"));
            String unrestorable = backup(node);
            etcd.stop();
            assertThat(List.of(good, mismatch, unrestorable)).doesNotHaveDuplicates().isSorted();
            // each newer backup marks the one before it for expiry; the newest is never marked
            for (String superseded : List.of(good, mismatch)) {
                assertThat(moto.aws("s3api", "get-object-tagging", "--bucket", "drill-corrupt", "--key",
                        superseded + "snapshot.db", "--query", "TagSet[?Key=='kubecdk:superseded'].Value", "--output",
                        "text")).as(superseded).isEqualTo("true");
            }
            assertThat(moto.aws("s3api", "get-object-tagging", "--bucket", "drill-corrupt", "--key",
                    unrestorable + "SHA256SUMS", "--query", "TagSet", "--output", "text")).isEmpty();

            // gen2: the snapshot object changed after its checksum was taken
            Path corrupt = temp.resolve("corrupt.db");
            moto.aws("s3", "cp", "s3://drill-corrupt/" + mismatch + "snapshot.db", corrupt.toString());
            flipByteInTheMiddle(corrupt);
            moto.aws("s3", "cp", corrupt.toString(), "s3://drill-corrupt/" + mismatch + "snapshot.db");
            // gen3: checksums match a damaged snapshot, so only etcd's own integrity check catches it
            Path dir = Files.createDirectories(temp.resolve("gen3"));
            moto.aws("s3", "cp", "--recursive", "s3://drill-corrupt/" + unrestorable, dir.toString());
            flipByteInTheMiddle(dir.resolve("snapshot.db"));
            ProcessResult sums = node.bash("cd '" + dir + "' && sha256sum snapshot.db pki.tar.gz > SHA256SUMS");
            assertThat(sums.exitCode()).isZero();
            moto.aws("s3", "cp", "--recursive", dir.toString(), "s3://drill-corrupt/" + unrestorable);

            ScriptSandbox.deleteTree(dataDir);
            ProcessResult restore = node.run("etcd-restore.sh");
            assertThat(restore.exitCode()).as(restore.describe()).isZero();
            assertThat(restore.stderr())
                    .contains("backup " + unrestorable + ": etcd snapshot restore failed")
                    .contains("backup " + mismatch + ": checksum mismatch")
                    .contains("restored etcd and PKI from " + good);
            assertThat(node.read("var/lib/kubecdk/etcd-restore.state")).contains("RESTORE_SOURCE='" + good + "'");

            try (LocalEtcd restored = new LocalEtcd(NODE, node.path("var/lib/etcd"))) {
                assertThat(startOn(restored, etcd).getPrefix("/registry/drill/")).isEqualTo(keys(200, "gen1"));
            }
        }
    }

    @Test
    void aBackupThatCannotReachEtcdFailsLoudlyAndUploadsNothing() {
        try (LocalEtcd etcd = new LocalEtcd(NODE, temp.resolve("never-started"))) {
            ScriptSandbox node = node("drill-down", etcd).env("ETCD_HEALTH_TIMEOUT", "2s");

            ProcessResult result = node.run("etcd-backup.sh");

            assertThat(result.exitCode()).as(result.describe()).isNotZero();
            assertThat(result.stderr()).contains("giving up after 3 attempts");
            assertThat(moto.aws("s3api", "list-objects-v2", "--bucket", "drill-down",
                    "--query", "length(Contents || `[]`)", "--output", "text")).isEqualTo("0");
            assertThat(node.path("var/lib/kubecdk")).isDirectoryNotContaining("glob:**/etcd-backup.*[!k]");
        }
    }

    /** Starts a member on the restored data dir with the ports the backed-up member used. */
    private static LocalEtcd startOn(LocalEtcd restored, LocalEtcd original) {
        return restored.reusePortsOf(original).start();
    }

    private static void flipByteInTheMiddle(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= (byte) 0xFF;
        Files.write(file, bytes);
    }
}
