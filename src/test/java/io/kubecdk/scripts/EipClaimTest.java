package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ClusterEnv;
import io.kubecdk.testsupport.MotoServer;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.Processes;
import io.kubecdk.testsupport.ScriptSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eip-claim.sh against real emulated instances and Elastic IPs of a tagged pool. */
class EipClaimTest {

    @AutoClose
    private static MotoServer moto;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulator() {
        moto = MotoServer.start();
    }

    private static List<String> instances(int count) {
        String ids = moto.aws("ec2", "run-instances", "--image-id", "ami-12c6146b", "--instance-type", "t3.micro",
                "--count", String.valueOf(count), "--query", "Instances[].InstanceId", "--output", "text");
        return Arrays.asList(ids.split("\\s+"));
    }

    private static List<String> allocate(String pool, int count) {
        return moto.python(String.join("\n",
                "import boto3",
                "ec2 = boto3.client('ec2')",
                "for _ in range(" + count + "):",
                "    a = ec2.allocate_address(Domain='vpc', TagSpecifications=[{'ResourceType': 'elastic-ip',",
                "        'Tags': [{'Key': 'kubecdk:eip-pool', 'Value': '" + pool + "'}]}])",
                "    print(a['AllocationId'])")).lines().collect(Collectors.toList());
    }

    /** Allocation id held by INSTANCE, or "None". */
    private static String held(String instance) {
        return moto.aws("ec2", "describe-addresses", "--filters", "Name=instance-id,Values=" + instance,
                "--query", "Addresses[0].AllocationId", "--output", "text");
    }

    private ScriptSandbox loadBalancer(String pool, String instance) {
        Map<String, String> env = ClusterEnv.minion("unused-bucket", "loadbalancer", "edge");
        env.put("EIP_POOL", pool);
        env.put("INSTANCE_ID", instance);
        return ScriptSandbox.create(temp).clusterEnv(env).env(moto.awsEnv());
    }

    @Test
    void twoMinionsRacingForThePoolAtTheSameMomentGetDifferentAddresses() {
        List<String> pool = allocate("race", 3);
        allocate("other-pool", 1);
        List<String> minions = instances(2);
        ScriptSandbox first = loadBalancer("race", minions.get(0)).env("EIP_PICK_ORDER", "sorted");
        ScriptSandbox second = loadBalancer("race", minions.get(1)).env("EIP_PICK_ORDER", "sorted");

        Processes.Running a = first.start("eip-claim.sh");
        Processes.Running b = second.start("eip-claim.sh");
        ProcessResult resultA = a.await(Duration.ofMinutes(2));
        ProcessResult resultB = b.await(Duration.ofMinutes(2));

        assertThat(resultA.exitCode()).as(resultA.describe()).isZero();
        assertThat(resultB.exitCode()).as(resultB.describe()).isZero();
        String heldA = held(minions.get(0));
        String heldB = held(minions.get(1));
        assertThat(pool).contains(heldA, heldB);
        assertThat(heldA).isNotEqualTo(heldB);
        assertThat(resultA.stdout().trim()).isEqualTo(heldA);
        assertThat(resultB.stdout().trim()).isEqualTo(heldB);
        System.out.printf("eip race: first=%s second=%s lost races=%d%n", heldA, heldB,
                countLostRaces(resultA) + countLostRaces(resultB));

        ProcessResult again = first.run("eip-claim.sh");
        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(again.stderr()).contains("holds " + heldA + " of pool race");
        assertThat(held(minions.get(0))).isEqualTo(heldA);
        assertThat(moto.aws("ec2", "describe-addresses", "--filters", "Name=tag:kubecdk:eip-pool,Values=race",
                "--query", "length(Addresses[?AssociationId==null])", "--output", "text")).isEqualTo("1");
    }

    @Test
    void anAddressTakenBetweenListingAndAssociatingIsSkippedForTheNextFreeOne() {
        List<String> pool = allocate("taken", 2);
        List<String> nodes = instances(2);
        // the first address of the pool is associated behind the script's back, as a racing
        // minion would do, by wrapping the CLI: the first associate-address call loses
        ScriptSandbox node = loadBalancer("taken", nodes.get(1)).env("EIP_PICK_ORDER", "sorted");
        String thief = nodes.get(0);
        String sorted = pool.stream().sorted().findFirst().orElseThrow();
        node.writeFile("standin-bin/aws", String.join("\n",
                "#!/usr/bin/env bash",
                "if [[ \"$*\" == *associate-address* && ! -e \"$KUBECDK_ROOT/stolen\" ]]; then",
                "  touch \"$KUBECDK_ROOT/stolen\"",
                "  env PATH=\"${PATH#*:}\" aws ec2 associate-address --instance-id " + thief
                        + " --allocation-id " + sorted + " >/dev/null",
                "fi",
                "exec env PATH=\"${PATH#*:}\" aws \"$@\"",
                ""));
        ProcessResult chmod = node.bash("chmod +x standin-bin/aws");
        assertThat(chmod.exitCode()).isZero();

        ProcessResult result = node.run("eip-claim.sh");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stderr()).contains("lost the race for " + sorted).contains("Resource.AlreadyAssociated");
        assertThat(held(thief)).isEqualTo(sorted);
        assertThat(held(nodes.get(1))).isNotEqualTo(sorted).isIn(pool);
    }

    @Test
    void anExhaustedPoolIsRetriedWithBackoffThenFails() {
        List<String> pool = allocate("full", 1);
        List<String> nodes = instances(2);
        moto.aws("ec2", "associate-address", "--instance-id", nodes.get(0), "--allocation-id", pool.get(0));

        ProcessResult result = loadBalancer("full", nodes.get(1)).env("EIP_CLAIM_WAIT_SECONDS", "4")
                .run("eip-claim.sh");

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains("no free address in pool full")
                .contains("attempt 1 failed (exit 1): claim_once; retrying in")
                .contains("could not claim an Elastic IP of pool full within 4s");
        assertThat(held(nodes.get(1))).isEqualTo("None");
    }

    @Test
    void aLoadBalancerMinionClaimsAnAddressBeforeJoining() {
        List<String> pool = allocate("edge", 1);
        String instance = instances(1).get(0);
        moto.aws("s3api", "create-bucket", "--bucket", "eip-join", "--create-bucket-configuration",
                "LocationConstraint=" + MotoServer.REGION);
        ScriptSandbox node = loadBalancer("edge", instance);
        Map<String, String> env = ClusterEnv.minion("eip-join", "loadbalancer", "edge");
        env.put("EIP_POOL", "edge");
        env.put("INSTANCE_ID", instance);
        node.clusterEnv(env).writeFile("join.env", "JOIN_CA_CERT_HASH='sha256:" + "0f".repeat(32) + "'\n"
                + "JOIN_ENDPOINT='master.test.kube:6443'\nJOIN_TOKEN='abcdef.0123456789abcdef'\n");
        moto.aws("s3", "cp", node.path("join.env").toString(), "s3://eip-join/join/join.env");

        ProcessResult result = node.run("bootstrap-minion.sh");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(held(instance)).isEqualTo(pool.get(0));
        assertThat(result.stderr().indexOf("claimed " + pool.get(0))).isNotNegative()
                .isLessThan(result.stderr().indexOf("joining master.test.kube:6443"));
        assertThat(node.read("etc/kubecdk/kubeadm-join.yaml"))
                .contains("kubecdk.io/role=loadbalancer,kubecdk.io/group=edge,topology.kubernetes.io/zone=eu-west-1a");
    }

    private static long countLostRaces(ProcessResult result) {
        return result.stderr().lines().filter(l -> l.contains("lost the race")).count();
    }
}
