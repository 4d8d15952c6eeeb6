#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs containerd, kubelet, kubeadm and kubectl (pinned to KUBERNETES_VERSION from the
# pkgs.k8s.io channel KUBERNETES_RELEASE) and the kernel settings Kubernetes networking needs.
# Amazon Linux 2023 (dnf, systemd). Safe to re-run: each part checks or marks its state.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"

KERNEL_MODULES=(overlay br_netfilter)
PAUSE_IMAGE="${PAUSE_IMAGE:-registry.k8s.io/pause:3.10}"

write_kernel_settings() {
  local module
  printf '%s\n' "${KERNEL_MODULES[@]}" |
    write_file "$(with_root /etc/modules-load.d/kubecdk.conf)" 0644 || true
  for module in "${KERNEL_MODULES[@]}"; do
    modprobe "${module}"
  done
  write_file "$(with_root /etc/sysctl.d/99-kubecdk.conf)" 0644 <<'CONF' || true
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
CONF
  sysctl --system >/dev/null
}

write_repo() {
  local base="https://pkgs.k8s.io/core:/stable:/${KUBERNETES_RELEASE}/rpm/"
  write_file "$(with_root /etc/yum.repos.d/kubernetes.repo)" 0644 <<REPO || true
[kubernetes]
name=Kubernetes ${KUBERNETES_RELEASE}
baseurl=${base}
enabled=1
gpgcheck=1
gpgkey=${base}repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
REPO
}

install_packages() {
  local version="${KUBERNETES_VERSION}"
  retry 5 dnf install -y containerd iproute-tc
  retry 5 dnf install -y --disableexcludes=kubernetes \
    "kubelet-${version}" "kubeadm-${version}" "kubectl-${version}"
}

# containerd with the systemd cgroup driver, as kubelet is configured by kubeadm.
configure_containerd() {
  if write_file "$(with_root /etc/containerd/config.toml)" 0644 <<TOML; then
version = 2

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true
TOML
    systemctl restart containerd
  fi
  systemctl enable --now containerd
  systemctl enable kubelet
}

main() {
  load_env
  require_env KUBERNETES_RELEASE KUBERNETES_VERSION
  [[ "${KUBERNETES_RELEASE}" =~ ^v[0-9]+\.[0-9]+$ ]] ||
    die "KUBERNETES_RELEASE must look like v1.31, got ${KUBERNETES_RELEASE}"
  [[ "${KUBERNETES_VERSION}" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die "KUBERNETES_VERSION must look like 1.31.4, got ${KUBERNETES_VERSION}"
  [[ "v${KUBERNETES_VERSION%.*}" == "${KUBERNETES_RELEASE}" ]] ||
    die "KUBERNETES_VERSION ${KUBERNETES_VERSION} is not in channel ${KUBERNETES_RELEASE}"

  write_kernel_settings
  write_repo
  run_once "packages-${KUBERNETES_VERSION}" install_packages
  configure_containerd
}

main "$@"
