#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Boots a minion (worker or load balancer): packages, DNS record, an Elastic IP of the pool
# for load-balancer minions, then waits for the join data the master publishes and joins the
# cluster with the node labels of its role, group and zone. Idempotent: a node that already
# joined (/etc/kubernetes/kubelet.conf exists) does not join again.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"
# shellcheck source=lib/kubeadm.sh
source "${SCRIPT_DIR}/lib/kubeadm.sh"

JOIN_WAIT_SECONDS="${JOIN_WAIT_SECONDS:-1800}"
WORK_DIR=""

cleanup() {
  if [[ -n "${WORK_DIR}" ]]; then
    rm -rf "${WORK_DIR}"
  fi
}

# Downloads the join data once; fails (so that retry_for waits) while it is not there yet.
fetch_join_data() {
  local file="$1"
  aws s3api get-object --bucket "${SCRIPTS_BUCKET}" --key "${JOIN_PREFIX}join.env" "${file}" \
    --output text --query ETag >/dev/null
}

write_join_config() {
  local file="$1" endpoint="$2" token="$3" hash="$4"
  {
    printf 'apiVersion: %s\nkind: JoinConfiguration\n' "$(kubeadm_api_version)"
    printf 'discovery:\n  bootstrapToken:\n'
    printf '    apiServerEndpoint: "%s"\n    token: "%s"\n    caCertHashes:\n    - "%s"\n' \
      "${endpoint}" "${token}" "${hash}"
    printf 'nodeRegistration:\n'
    node_registration "$(node_name)" "$(node_labels "${NODE_ROLE}")"
    kubelet_configuration
  } >"${file}"
}

join_cluster() {
  local join_env="${WORK_DIR}/join.env" endpoint token hash config
  log "waiting up to ${JOIN_WAIT_SECONDS}s for s3://${SCRIPTS_BUCKET}/${JOIN_PREFIX}join.env"
  retry_for "${JOIN_WAIT_SECONDS}" fetch_join_data "${join_env}" ||
    die "no join data in s3://${SCRIPTS_BUCKET}/${JOIN_PREFIX}join.env"

  endpoint="$(read_env_value "${join_env}" JOIN_ENDPOINT)" || die "join data lacks JOIN_ENDPOINT"
  token="$(read_env_value "${join_env}" JOIN_TOKEN)" || die "join data lacks JOIN_TOKEN"
  hash="$(read_env_value "${join_env}" JOIN_CA_CERT_HASH)" || die "join data lacks JOIN_CA_CERT_HASH"
  [[ "${endpoint}" == "${API_ENDPOINT}" ]] ||
    log "join data names endpoint ${endpoint}, cluster.env ${API_ENDPOINT}; using ${API_ENDPOINT}"
  [[ "${token}" =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] || die "join data holds no valid token"
  [[ "${hash}" =~ ^sha256:[0-9a-f]{64}$ ]] || die "join data holds no valid CA cert hash"

  config="$(with_root /etc/kubecdk/kubeadm-join.yaml)"
  mkdir -p "$(dirname "${config}")"
  (umask 077 && write_join_config "${config}" "${API_ENDPOINT}" "${token}" "${hash}")
  log "joining ${API_ENDPOINT} as $(node_name) with labels $(node_labels "${NODE_ROLE}")"
  retry 3 join_attempt "${config}"
}

# A failed join can leave half-written state behind that fails the next preflight.
join_attempt() {
  local config="$1"
  if kubeadm join --config "${config}"; then
    return 0
  fi
  log "kubeadm join failed; resetting before the next attempt"
  kubeadm reset --force || true
  return 1
}

main() {
  load_env
  require_env API_ENDPOINT KUBERNETES_VERSION NODE_ROLE PRIVATE_IP SCRIPTS_BUCKET
  JOIN_PREFIX="${JOIN_PREFIX:-join/}"
  case "${NODE_ROLE}" in
    worker | loadbalancer) ;;
    *) die "bootstrap-minion.sh runs on worker or loadbalancer nodes, not ${NODE_ROLE}" ;;
  esac

  bash "${SCRIPT_DIR}/install-kubernetes.sh"
  install_dns_unit
  if [[ "${NODE_ROLE}" == loadbalancer ]]; then
    bash "${SCRIPT_DIR}/eip-claim.sh"
  fi

  if [[ -e "$(with_root /etc/kubernetes/kubelet.conf)" ]]; then
    log "already joined ($(with_root /etc/kubernetes/kubelet.conf) exists)"
  else
    umask 077
    WORK_DIR="$(mktemp -d)"
    trap cleanup EXIT
    join_cluster
  fi
  mark_done bootstrap-minion
  log "minion bootstrap complete"
}

main "$@"
