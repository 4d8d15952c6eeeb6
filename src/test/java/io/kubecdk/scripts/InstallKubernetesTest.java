package io.kubecdk.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubecdk.testsupport.ClusterEnv;
import io.kubecdk.testsupport.ProcessResult;
import io.kubecdk.testsupport.ScriptSandbox;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install-kubernetes.sh: pinned packages from the release channel, kernel settings, containerd. */
class InstallKubernetesTest {

    @TempDir
    Path temp;

    @Test
    void installsThePinnedPackagesFromTheReleaseChannelOnce() {
        ScriptSandbox node = ScriptSandbox.create(temp).clusterEnv(ClusterEnv.common("unused-bucket"));

        ProcessResult first = node.run("install-kubernetes.sh");
        assertThat(first.exitCode()).as(first.describe()).isZero();
        assertThat(node.read("etc/yum.repos.d/kubernetes.repo"))
                .contains("baseurl=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/")
                .contains("gpgkey=https://pkgs.k8s.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key")
                .contains("exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni");
        assertThat(node.read("etc/modules-load.d/kubecdk.conf")).isEqualTo("overlay\nbr_netfilter\n");
        assertThat(node.read("etc/sysctl.d/99-kubecdk.conf"))
                .contains("net.bridge.bridge-nf-call-iptables = 1").contains("net.ipv4.ip_forward = 1");
        assertThat(node.read("etc/containerd/config.toml")).contains("SystemdCgroup = true");
        assertThat(node.calls()).containsExactly(
                "modprobe overlay",
                "modprobe br_netfilter",
                "sysctl --system",
                "dnf install -y containerd iproute-tc",
                "dnf install -y --disableexcludes=kubernetes kubelet-1.31.4 kubeadm-1.31.4 kubectl-1.31.4",
                "systemctl restart containerd",
                "systemctl enable --now containerd",
                "systemctl enable kubelet");

        ProcessResult second = node.run("install-kubernetes.sh");
        assertThat(second.exitCode()).as(second.describe()).isZero();
        assertThat(node.calls("dnf")).hasSize(2);
        assertThat(node.calls("systemctl restart")).hasSize(1);
    }

    @Test
    void refusesAVersionOutsideItsReleaseChannel() {
        Map<String, String> env = ClusterEnv.common("unused-bucket");
        env.put("KUBERNETES_VERSION", "1.30.2");
        ScriptSandbox node = ScriptSandbox.create(temp).clusterEnv(env);

        ProcessResult result = node.run("install-kubernetes.sh");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("KUBERNETES_VERSION 1.30.2 is not in channel v1.31");
        assertThat(node.calls("dnf")).isEmpty();
    }
}
