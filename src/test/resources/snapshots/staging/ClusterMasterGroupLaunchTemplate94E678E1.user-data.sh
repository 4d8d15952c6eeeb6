#!/usr/bin/env bash
# kubecdk user-data of the master of environment staging, scripts bundle <scripts-bundle>.
set -euo pipefail
umask 022

readonly ROOT="${KUBECDK_ROOT:-}"
readonly IMDS="${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}"
readonly SCRIPTS_BUCKET='${Ref:ClusterScriptBucket76D23CD1}'
readonly BUNDLE_HASH='<scripts-bundle>'

log() {
  printf '%s kubecdk-userdata: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

# retry ATTEMPTS FIRST_DELAY COMMAND...: runs COMMAND until it succeeds, doubling the delay up to 60 s.
retry() {
  local attempts=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    if (( n >= attempts )); then
      log "giving up after ${n} attempts: $*"
      return 1
    fi
    log "attempt ${n} failed, retrying in ${delay}s: $*"
    sleep "$delay"
    n=$(( n + 1 ))
    delay=$(( delay * 2 > 60 ? 60 : delay * 2 ))
  done
}

imds_token() {
  curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' "${IMDS%/}/latest/api/token"
}

imds() {
  curl -fsS -H "X-aws-ec2-metadata-token: ${IMDS_TOKEN}" "${IMDS%/}/latest/meta-data/$1"
}

# Reads this instance's identity from IMDSv2 (token first, then metadata).
discover_instance() {
  IMDS_TOKEN=$(retry 10 1 imds_token)
  INSTANCE_ID=$(retry 10 1 imds instance-id)
  AVAIL_ZONE=$(retry 10 1 imds placement/availability-zone)
  REGION=$(retry 10 1 imds placement/region)
  PRIVATE_IP=$(retry 10 1 imds local-ipv4)
  PUBLIC_IP=$(imds public-ipv4 2>/dev/null || true)
  export AWS_DEFAULT_REGION="$REGION"
}

# squote VALUE: VALUE as one single-quoted shell word.
squote() {
  local escaped=${1//\'/\'\\\'\'}
  printf "'%s'" "$escaped"
}

env_line() {
  printf '%s=%s\n' "$1" "$(squote "$2")"
}

# Writes the node's environment file, keys sorted, every value single-quoted.
write_env_file() {
  local dir="${ROOT}/etc/kubecdk"
  mkdir -p "$dir"
  {
    env_line ADVERTISE_CLIENT_URLS "$ADVERTISE_CLIENT_URLS"
    env_line API_ENDPOINT 'master.staging.kube:6443'
    env_line AVAIL_ZONE "$AVAIL_ZONE"
    env_line BACKUP_INTERVAL_MINUTES '15'
    env_line BACKUP_PREFIX 'etcd-backups/'
    env_line CLUSTER_NAME 'kubecdk-staging'
    env_line ENVIRONMENT 'staging'
    env_line ETCD_DEVICE '/dev/sdf'
    env_line INSTANCE_ID "$INSTANCE_ID"
    env_line JOIN_PREFIX 'join/'
    env_line KUBERNETES_RELEASE 'v1.34'
    env_line KUBERNETES_VERSION '1.34.1'
    env_line LISTEN_CLIENT_URLS "$LISTEN_CLIENT_URLS"
    env_line LISTEN_PEER_URLS "$LISTEN_PEER_URLS"
    env_line MASTER_IP "$MASTER_IP"
    env_line NODE_LABELS ''
    env_line NODE_ROLE 'master'
    env_line POD_CIDR '192.168.0.0/16'
    env_line POD_NETWORK 'calico'
    env_line PRIVATE_IP "$PRIVATE_IP"
    env_line PRIVATE_ZONE 'staging.kube'
    if [[ -n "${PUBLIC_IP:-}" ]]; then env_line PUBLIC_IP "$PUBLIC_IP"; fi
    env_line REGION "$REGION"
    env_line SCRIPTS_BUCKET '${Ref:ClusterScriptBucket76D23CD1}'
    env_line SERVICE_CIDR '10.96.0.0/12'
    env_line ZONE_ID '${Ref:ClusterDnsPrivateZone21824EA1}'
  } > "${dir}/cluster.env.tmp"
  mv "${dir}/cluster.env.tmp" "${dir}/cluster.env"
  log "wrote ${dir}/cluster.env"
}

verify_bundle() {
  local dir=$1 actual
  actual=$(sha256sum "${dir}/SHA256SUMS" | cut -d' ' -f1)
  if [[ "$actual" != "$BUNDLE_HASH" ]]; then
    log "scripts manifest hash ${actual} does not match ${BUNDLE_HASH}"
    return 1
  fi
  (cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS)
}

# Fetches the content-addressed scripts bundle, verifies every file, and installs it once.
fetch_scripts() {
  local dest="${ROOT}/opt/kubecdk/scripts" staging
  if [[ -f "${dest}/.bundle-${BUNDLE_HASH}" ]]; then
    log "scripts bundle ${BUNDLE_HASH} already installed"
    return 0
  fi
  mkdir -p "${ROOT}/opt/kubecdk"
  staging=$(mktemp -d "${ROOT}/opt/kubecdk/.scripts.XXXXXX")
  retry 8 2 aws s3 cp --recursive --only-show-errors "s3://${SCRIPTS_BUCKET}/scripts/${BUNDLE_HASH}/" "${staging}/"
  verify_bundle "$staging"
  rm -rf "$dest"
  mv "$staging" "$dest"
  touch "${dest}/.bundle-${BUNDLE_HASH}"
  log "installed scripts bundle ${BUNDLE_HASH}"
}

main() {
  discover_instance
  MASTER_IP="$PRIVATE_IP"
  LISTEN_PEER_URLS="https://${PRIVATE_IP}:2380"
  LISTEN_CLIENT_URLS="https://127.0.0.1:2379,https://${PRIVATE_IP}:2379"
  ADVERTISE_CLIENT_URLS="https://${PRIVATE_IP}:2379"
  write_env_file
  fetch_scripts
  exec bash "${ROOT}/opt/kubecdk/scripts/bootstrap-master.sh"
}

main "$@"
