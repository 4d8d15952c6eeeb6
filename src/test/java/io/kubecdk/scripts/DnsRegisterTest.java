package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ClusterEnv;
import io.kubecdk.testsupport.MotoServer;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.ScriptSandbox;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dns-register.sh keeps this node's A record in the private hosted zone of the emulator. */
class DnsRegisterTest {

    @AutoClose
    private static MotoServer moto;
    private static String zoneId;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulator() {
        moto = MotoServer.start();
        String vpc = moto.aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId",
                "--output", "text");
        zoneId = moto.aws("route53", "create-hosted-zone", "--name", "test.kube", "--caller-reference", "dns-test",
                "--vpc", "VPCRegion=" + MotoServer.REGION + ",VPCId=" + vpc,
                "--hosted-zone-config", "PrivateZone=true", "--query", "HostedZone.Id", "--output", "text")
                .replace("/hostedzone/", "");
    }

    private ScriptSandbox node(String hostname, String ip) {
        Map<String, String> env = ClusterEnv.minion("unused-bucket", "worker", "workers");
        env.put("ZONE_ID", zoneId);
        env.put("PRIVATE_IP", ip);
        return ScriptSandbox.create(temp).clusterEnv(env).env(moto.awsEnv()).env("NODE_HOSTNAME", hostname);
    }

    private static String record(String name) {
        return moto.aws("route53", "list-resource-record-sets", "--hosted-zone-id", zoneId, "--output", "text",
                "--query", "ResourceRecordSets[?Name=='" + name + "' && Type=='A'].[TTL, ResourceRecords[0].Value]");
    }

    @Test
    void registerUpsertsTheRecordAndDeregisterDeletesIt() {
        ScriptSandbox node = node("ip-10-0-2-7", "10.0.2.7");

        ProcessResult register = node.run("dns-register.sh", "register");
        assertThat(register.exitCode()).as(register.describe()).isZero();
        assertThat(record("ip-10-0-2-7.test.kube.")).isEqualTo("60\t10.0.2.7");

        ProcessResult again = node.run("dns-register.sh", "register");
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(record("ip-10-0-2-7.test.kube.")).isEqualTo("60\t10.0.2.7");

        ProcessResult deregister = node.run("dns-register.sh", "deregister");
        assertThat(deregister.exitCode()).as(deregister.describe()).isZero();
        assertThat(record("ip-10-0-2-7.test.kube.")).isEmpty();

        ProcessResult deregisterAgain = node.run("dns-register.sh", "deregister");
        assertThat(deregisterAgain.exitCode()).as(deregisterAgain.describe()).isZero();
        assertThat(deregisterAgain.stderr()).contains("no record ip-10-0-2-7.test.kube.; nothing to deregister");
    }

    @Test
    void deregisterLeavesARecordThatAnotherNodeNowOwns() {
        ProcessResult other = node("ip-10-0-3-9", "10.0.3.10").run("dns-register.sh", "register");
        assertThat(other.exitCode()).as(other.describe()).isZero();

        ProcessResult result = node("ip-10-0-3-9", "10.0.3.9").run("dns-register.sh", "deregister");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stderr()).contains("points at 10.0.3.10, not at this node (10.0.3.9); leaving it");
        assertThat(record("ip-10-0-3-9.test.kube.")).isEqualTo("60\t10.0.3.10");
    }

    @Test
    void deregisterFailsLoudlyWhenRoute53CannotBeReached() {
        ProcessResult result = node("ip-10-0-2-9", "10.0.2.9")
                .env(MotoServer.awsEnv("http://127.0.0.1:" + MotoServer.freePort()))
                .env(Map.of("AWS_MAX_ATTEMPTS", "1", "AWS_RETRY_ATTEMPTS", "2"))
                .run("dns-register.sh", "deregister");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("giving up after 2 attempts")
                .doesNotContain("nothing to deregister");
    }

    @Test
    void rejectsAnUnknownAction() {
        ProcessResult result = node("ip-10-0-2-8", "10.0.2.8").run("dns-register.sh", "refresh");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("usage: dns-register.sh register|deregister");
    }
}
