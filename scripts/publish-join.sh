#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Creates a bootstrap token (TTL JOIN_TOKEN_TTL, default 24h) and publishes the join data to
#   s3://$SCRIPTS_BUCKET/${JOIN_PREFIX}join.env   (server-side encrypted with KMS)
# as KEY='value' lines: JOIN_ENDPOINT, JOIN_TOKEN, JOIN_CA_CERT_HASH, JOIN_TOKEN_EXPIRES.
# Run by bootstrap-master.sh once, then by kubecdk-join-refresh.timer every 12 hours.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"

JOIN_TOKEN_TTL="${JOIN_TOKEN_TTL:-24h}"
WORK_DIR=""

cleanup() {
  if [[ -n "${WORK_DIR}" ]]; then
    rm -rf "${WORK_DIR}"
  fi
}

# Prints the value following FLAG in a kubeadm join command line.
flag_value() {
  local flag="$1" command="$2"
  sed -nE "s/.*${flag}[ =]([^ ]+).*/\1/p" <<<"${command}"
}

create_join_command() {
  kubeadm token create --ttl "${JOIN_TOKEN_TTL}" --print-join-command \
    --kubeconfig "$(with_root /etc/kubernetes/admin.conf)" \
    --description "kubecdk join data for ${CLUSTER_NAME:-cluster}"
}

main() {
  load_env
  require_env SCRIPTS_BUCKET API_ENDPOINT
  JOIN_PREFIX="${JOIN_PREFIX:-join/}"

  local command token hash expires file
  [[ "${JOIN_TOKEN_TTL}" =~ ^[0-9]+h$ ]] || die "JOIN_TOKEN_TTL must be whole hours like 24h, got ${JOIN_TOKEN_TTL}"
  command="$(retry 5 create_join_command)"
  token="$(flag_value --token "${command}")"
  hash="$(flag_value --discovery-token-ca-cert-hash "${command}")"
  [[ "${token}" =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] || die "kubeadm printed no valid token"
  [[ "${hash}" =~ ^sha256:[0-9a-f]{64}$ ]] || die "kubeadm printed no valid CA cert hash"
  expires="$(date -u -d "+${JOIN_TOKEN_TTL%h} hours" +%Y-%m-%dT%H:%M:%SZ)"

  umask 077
  WORK_DIR="$(mktemp -d)"
  trap cleanup EXIT
  file="${WORK_DIR}/join.env"
  {
    printf 'JOIN_CA_CERT_HASH=%s\n' "$(shell_quote "${hash}")"
    printf 'JOIN_ENDPOINT=%s\n' "$(shell_quote "${API_ENDPOINT}")"
    printf 'JOIN_TOKEN=%s\n' "$(shell_quote "${token}")"
    printf 'JOIN_TOKEN_EXPIRES=%s\n' "$(shell_quote "${expires}")"
  } >"${file}"
  aws_retry s3 cp --only-show-errors --sse aws:kms "${file}" "s3://${SCRIPTS_BUCKET}/${JOIN_PREFIX}join.env"
  log "published join data to s3://${SCRIPTS_BUCKET}/${JOIN_PREFIX}join.env (token expires ${expires})"
}

main "$@"
