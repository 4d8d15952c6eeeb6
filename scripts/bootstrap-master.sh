#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Boots the master: packages, DNS record, etcd volume, etcd restore, kubeadm init (on the
# restored state when there was a backup), pod network, join data, token refresh and etcd
# backup timers. Every step is idempotent, so re-running it on a half-booted master finishes
# the job without doing anything twice.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"
# shellcheck source=lib/kubeadm.sh
source "${SCRIPT_DIR}/lib/kubeadm.sh"

ETCD_MOUNT="$(with_root /var/lib/etcd)"
ETCD_FS_TYPE="${ETCD_FS_TYPE:-xfs}"
ETCD_DEVICE_WAIT_SECONDS="${ETCD_DEVICE_WAIT_SECONDS:-300}"
KUBECONFIG_ADMIN="$(with_root /etc/kubernetes/admin.conf)"

# Pinned pod network releases.
CALICO_MANIFEST_URL="${CALICO_MANIFEST_URL:-https://raw.githubusercontent.com/projectcalico/calico/v3.28.2/manifests/calico.yaml}"
FLANNEL_MANIFEST_URL="${FLANNEL_MANIFEST_URL:-https://github.com/flannel-io/flannel/releases/download/v0.25.7/kube-flannel.yml}"
CILIUM_CLI_VERSION="${CILIUM_CLI_VERSION:-v0.16.19}"
CILIUM_VERSION="${CILIUM_VERSION:-1.16.3}"
# etcdctl/etcdutl for backup and restore on the host; 3.5.15 is the etcd of Kubernetes 1.31.
ETCD_VERSION="${ETCD_VERSION:-v3.5.15}"

# --- etcd volume -------------------------------------------------------------------------

# Prints the block device attached as ETCD_DEVICE. On Nitro instances /dev/sdf shows up as an
# NVMe namespace whose controller reports the requested name (ebsnvme-id, or the udev
# symlink amazon-ec2-utils creates).
find_etcd_device() {
  local wanted="${ETCD_DEVICE#/dev/}" candidate name
  for candidate in "${ETCD_DEVICE}" "/dev/xvd${wanted#sd}"; do
    if [[ -e "$(with_root "${candidate}")" ]]; then
      with_root "${candidate}"
      return 0
    fi
  done
  for candidate in "$(with_root /dev)"/nvme*n1; do
    [[ -e "${candidate}" ]] || continue
    name="$(ebsnvme-id -b "${candidate}" 2>/dev/null || true)"
    name="${name#/dev/}"
    if [[ "${name}" == "${wanted}" || "${name}" == "xvd${wanted#sd}" ]]; then
      printf '%s\n' "${candidate}"
      return 0
    fi
  done
  return 1
}

prepare_etcd_volume() {
  local device fs_type uuid fstab
  device="$(retry_for "${ETCD_DEVICE_WAIT_SECONDS}" find_etcd_device)" ||
    die "etcd volume ${ETCD_DEVICE} did not appear"

  # Format only a device without a file system: blkid exits 2 when it finds none.
  local rc=0
  fs_type="$(blkid -o value -s TYPE "${device}")" || rc=$?
  if ((rc == 2)); then
    log "formatting ${device} as ${ETCD_FS_TYPE}"
    "mkfs.${ETCD_FS_TYPE}" -L etcd "${device}"
    fs_type="${ETCD_FS_TYPE}"
  elif ((rc != 0)); then
    die "blkid failed on ${device} (exit ${rc})"
  else
    log "${device} already holds a ${fs_type} file system"
  fi

  uuid="$(blkid -o value -s UUID "${device}")"
  [[ -n "${uuid}" ]] || die "no UUID on ${device}"
  fstab="$(with_root /etc/fstab)"
  touch "${fstab}"
  if ! grep -q "^UUID=${uuid} " "${fstab}"; then
    printf 'UUID=%s /var/lib/etcd %s defaults,noatime,nofail 0 2\n' "${uuid}" "${fs_type}" >>"${fstab}"
  fi

  mkdir -p "${ETCD_MOUNT}"
  if mountpoint -q "${ETCD_MOUNT}"; then
    log "${ETCD_MOUNT} already mounted"
  else
    mount -t "${fs_type}" -o noatime "UUID=${uuid}" "${ETCD_MOUNT}"
  fi
  chmod 0700 "${ETCD_MOUNT}"
}

# --- etcd client tools --------------------------------------------------------------------

install_etcd_tools() {
  if command -v etcdctl >/dev/null 2>&1; then
    log "etcdctl already installed: $(command -v etcdctl)"
    return 0
  fi
  local arch dir name base
  case "$(uname -m)" in
    aarch64) arch=arm64 ;;
    *) arch=amd64 ;;
  esac
  name="etcd-${ETCD_VERSION}-linux-${arch}"
  base="https://github.com/etcd-io/etcd/releases/download/${ETCD_VERSION}"
  dir="$(mktemp -d)"
  fetch_url "${base}/${name}.tar.gz" "${dir}/${name}.tar.gz"
  fetch_url "${base}/SHA256SUMS" "${dir}/SHA256SUMS"
  (cd "${dir}" && grep " ${name}.tar.gz\$" SHA256SUMS | sha256sum --strict -c - >&2) ||
    die "checksum mismatch for ${name}.tar.gz"
  mkdir -p "$(with_root /usr/local/bin)"
  tar -C "$(with_root /usr/local/bin)" -xzf "${dir}/${name}.tar.gz" --strip-components=1 \
    "${name}/etcdctl" "${name}/etcdutl"
  rm -rf "${dir}"
  log "installed etcdctl and etcdutl ${ETCD_VERSION}"
}

# --- etcd restore ------------------------------------------------------------------------

restore_etcd() {
  bash "${SCRIPT_DIR}/etcd-restore.sh" || die "etcd restore failed; not initialising the cluster"
  local state
  state="$(with_root /var/lib/kubecdk/etcd-restore.state)"
  log "etcd restore: $(read_env_value "${state}" RESTORE_RESULT) $(read_env_value "${state}" RESTORE_SOURCE)"
}

# --- kubeadm init ------------------------------------------------------------------------

write_init_config() {
  local file="$1" api_version name host
  api_version="$(kubeadm_api_version)"
  name="$(node_name)"
  host="${API_ENDPOINT%:*}"
  {
    printf 'apiVersion: %s\nkind: InitConfiguration\n' "${api_version}"
    printf 'bootstrapTokens:\n- ttl: 24h0m0s\n'
    printf 'localAPIEndpoint:\n  advertiseAddress: "%s"\n  bindPort: %s\n' "${PRIVATE_IP}" "${API_ENDPOINT##*:}"
    printf 'nodeRegistration:\n'
    node_registration "${name}" "$(node_labels master)"
    printf -- '---\napiVersion: %s\nkind: ClusterConfiguration\n' "${api_version}"
    printf 'clusterName: "%s"\n' "${CLUSTER_NAME}"
    printf 'kubernetesVersion: "v%s"\n' "${KUBERNETES_VERSION}"
    printf 'controlPlaneEndpoint: "%s"\n' "${API_ENDPOINT}"
    printf 'networking:\n  podSubnet: "%s"\n  serviceSubnet: "%s"\n' "${POD_CIDR}" "${SERVICE_CIDR}"
    printf 'apiServer:\n  certSANs:\n  - "%s"\n  - "%s"\n' "${host}" "${PRIVATE_IP}"
    if [[ -n "${PUBLIC_IP:-}" ]]; then
      printf '  - "%s"\n' "${PUBLIC_IP}"
    fi
    printf 'etcd:\n  local:\n    dataDir: /var/lib/etcd\n'
    kubelet_configuration
  } >"${file}"
}

kubeadm_init() {
  local config args=()
  config="$(with_root /etc/kubecdk/kubeadm-init.yaml)"
  mkdir -p "$(dirname "${config}")"
  write_init_config "${config}"
  args=(init --config "${config}" --upload-certs)
  # A restored (or already started) etcd member lives in the data dir: init on it.
  if [[ -d "${ETCD_MOUNT}/member" ]]; then
    log "initialising on the existing etcd state in ${ETCD_MOUNT}"
    args+=(--ignore-preflight-errors=DirAvailable--var-lib-etcd)
  fi
  kubeadm "${args[@]}"
}

# --- pod network -------------------------------------------------------------------------

kubectl_admin() {
  kubectl --kubeconfig "${KUBECONFIG_ADMIN}" "$@"
}

# Replaces the first pattern of sed expression EXPR in FILE and fails if it was not found.
patch_manifest() {
  local file="$1" expected="$2"
  shift 2
  sed -i "$@" "${file}"
  grep -qF -- "${expected}" "${file}" || die "manifest ${file} did not take the pod CIDR"
}

install_calico() {
  local file="$1"
  fetch_url "${CALICO_MANIFEST_URL}" "${file}"
  patch_manifest "${file}" "value: \"${POD_CIDR}\"" \
    -e 's|# - name: CALICO_IPV4POOL_CIDR|- name: CALICO_IPV4POOL_CIDR|' \
    -e "s|#   value: \"192.168.0.0/16\"|  value: \"${POD_CIDR}\"|"
  retry 10 kubectl_admin apply -f "${file}"
}

install_flannel() {
  local file="$1"
  fetch_url "${FLANNEL_MANIFEST_URL}" "${file}"
  patch_manifest "${file}" "\"Network\": \"${POD_CIDR}\"" \
    -e "s|\"Network\": \"10.244.0.0/16\"|\"Network\": \"${POD_CIDR}\"|"
  retry 10 kubectl_admin apply -f "${file}"
}

install_cilium() {
  local dir="$1" arch tarball
  case "$(uname -m)" in
    aarch64) arch=arm64 ;;
    *) arch=amd64 ;;
  esac
  tarball="cilium-linux-${arch}.tar.gz"
  local base="https://github.com/cilium/cilium-cli/releases/download/${CILIUM_CLI_VERSION}"
  fetch_url "${base}/${tarball}" "${dir}/${tarball}"
  fetch_url "${base}/${tarball}.sha256sum" "${dir}/${tarball}.sha256sum"
  (cd "${dir}" && sha256sum --strict -c "${tarball}.sha256sum" >&2) || die "cilium CLI checksum mismatch"
  tar -C "$(with_root /usr/local/bin)" -xzf "${dir}/${tarball}" cilium
  KUBECONFIG="${KUBECONFIG_ADMIN}" retry 5 "$(with_root /usr/local/bin/cilium)" install \
    --version "${CILIUM_VERSION}" --set ipam.mode=kubernetes
}

install_pod_network() {
  local dir
  dir="$(with_root /var/lib/kubecdk/pod-network)"
  mkdir -p "${dir}" "$(with_root /usr/local/bin)"
  case "${POD_NETWORK}" in
    calico) install_calico "${dir}/calico.yaml" ;;
    flannel) install_flannel "${dir}/kube-flannel.yml" ;;
    cilium) install_cilium "${dir}" ;;
    *) die "unsupported POD_NETWORK ${POD_NETWORK} (calico, flannel or cilium)" ;;
  esac
}

# --- timers ------------------------------------------------------------------------------

install_timers() {
  local interval="${BACKUP_INTERVAL_MINUTES:-15}"
  [[ "${interval}" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_INTERVAL_MINUTES must be a positive integer"

  install_unit kubecdk-join-refresh.service <<UNIT
[Unit]
Description=kubecdk: refresh the bootstrap token and publish the join data
After=network-online.target kubelet.service
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/bin/env bash ${KUBECDK_SCRIPTS_DIR}/publish-join.sh
UNIT
  # Tokens live 24h; a new one every 12h (and soon after a reboot) keeps one always valid.
  install_unit kubecdk-join-refresh.timer <<UNIT
[Unit]
Description=kubecdk: refresh the bootstrap token every 12 hours

[Timer]
OnBootSec=15min
OnUnitActiveSec=12h
AccuracySec=1min

[Install]
WantedBy=timers.target
UNIT

  install_unit kubecdk-etcd-backup.service <<UNIT
[Unit]
Description=kubecdk: back up etcd and the cluster PKI to S3
After=network-online.target kubelet.service
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/bin/env bash ${KUBECDK_SCRIPTS_DIR}/etcd-backup.sh
UNIT
  install_unit kubecdk-etcd-backup.timer <<UNIT
[Unit]
Description=kubecdk: back up etcd every ${interval} minutes

[Timer]
OnBootSec=${interval}min
OnUnitActiveSec=${interval}min
AccuracySec=30s

[Install]
WantedBy=timers.target
UNIT
  systemctl enable --now kubecdk-join-refresh.timer kubecdk-etcd-backup.timer
}

main() {
  load_env
  require_env API_ENDPOINT CLUSTER_NAME ETCD_DEVICE KUBERNETES_VERSION POD_CIDR POD_NETWORK \
    PRIVATE_IP SCRIPTS_BUCKET SERVICE_CIDR
  [[ "${NODE_ROLE:-master}" == master ]] || die "bootstrap-master.sh runs on masters, not ${NODE_ROLE}"
  case "${POD_NETWORK}" in
    calico | flannel | cilium) ;;
    *) die "unsupported POD_NETWORK ${POD_NETWORK} (calico, flannel or cilium)" ;;
  esac

  bash "${SCRIPT_DIR}/install-kubernetes.sh"
  install_dns_unit
  install_etcd_tools
  prepare_etcd_volume
  if is_done kubeadm-init; then
    log "cluster already initialised; skipping etcd restore"
  else
    restore_etcd
  fi
  run_once kubeadm-init kubeadm_init
  run_once pod-network install_pod_network
  run_once join-data bash "${SCRIPT_DIR}/publish-join.sh"
  install_timers
  mark_done bootstrap-master
  log "master bootstrap complete"
}

main "$@"
