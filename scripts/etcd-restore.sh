#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Restores etcd (and the cluster PKI) from the newest good backup in
# s3://$SCRIPTS_BUCKET/$BACKUP_PREFIX before kubeadm init runs on a master.
#
# Outcome, written to /var/lib/kubecdk/etcd-restore.state as RESTORE_RESULT=... :
#   restored  a backup was restored (RESTORE_SOURCE names it); exit 0
#   fresh     the listing succeeded and holds no backup: init a new cluster; exit 0
#   existing  the data dir already holds an etcd member: nothing done; exit 0
# Any other case exits non-zero, and the master must not init:
#   * S3 cannot be listed within RESTORE_S3_WAIT_SECONDS (default 600), with backoff;
#   * backups exist but none of them verifies and restores.
# A corrupt backup (checksum mismatch, missing object, failed restore) is skipped for the
# previous one. A master never starts an empty etcd when a backup might exist.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"
# shellcheck source=lib/etcd.sh
source "${SCRIPT_DIR}/lib/etcd.sh"

RESTORE_S3_WAIT_SECONDS="${RESTORE_S3_WAIT_SECONDS:-600}"
WORK_DIR=""

cleanup() {
  if [[ -n "${WORK_DIR}" ]]; then
    rm -rf "${WORK_DIR}"
  fi
}

write_state() {
  local result="$1" source="${2:-}"
  {
    printf 'RESTORE_RESULT=%s\n' "$(shell_quote "${result}")"
    printf 'RESTORE_SOURCE=%s\n' "$(shell_quote "${source}")"
  } | write_file "$(with_root /var/lib/kubecdk/etcd-restore.state)" 0644 || true
}

# Prints the backup prefixes, newest first. Fails (non-zero) only when S3 cannot be listed.
list_backups() {
  local out
  out="$(aws s3api list-objects-v2 --bucket "${SCRIPTS_BUCKET}" --prefix "${BACKUP_PREFIX}" \
    --delimiter / --query 'CommonPrefixes[].Prefix' --output text)" || return 1
  tr '\t' '\n' <<<"${out}" | grep -E "$(backup_prefix_pattern)" | sort -r || true
}

# Downloads KEY to FILE. Returns 0 when downloaded, 2 when the object does not exist,
# 1 when S3 kept failing.
download() {
  local key="$1" file="$2" attempt=1 err
  while true; do
    if err="$(aws s3api get-object --bucket "${SCRIPTS_BUCKET}" --key "${key}" "${file}" 2>&1 >/dev/null)"; then
      return 0
    fi
    if [[ "${err}" == *NoSuchKey* || "${err}" == *"(404)"* ]]; then
      log "object s3://${SCRIPTS_BUCKET}/${key} does not exist"
      return 2
    fi
    if ((attempt >= AWS_RETRY_ATTEMPTS)); then
      log "download of ${key} failed: ${err}"
      return 1
    fi
    sleep "$(backoff_delay "${attempt}")"
    attempt=$((attempt + 1))
  done
}

# Restores the snapshot in DIR into a staging data dir; prints nothing, fails if corrupt.
restore_snapshot() {
  local dir="$1" staging="$2" name peer_url
  name="${ETCD_NAME:-$(node_name)}"
  peer_url="${ETCD_INITIAL_ADVERTISE_PEER_URLS:-${LISTEN_PEER_URLS:-https://${PRIVATE_IP}:2380}}"
  peer_url="${peer_url%%,*}"
  local args=(snapshot restore "${dir}/snapshot.db" --data-dir "${staging}" --name "${name}"
    --initial-cluster "${name}=${peer_url}" --initial-advertise-peer-urls "${peer_url}")
  if command -v etcdutl >/dev/null 2>&1; then
    etcdutl "${args[@]}" >&2
  else
    ETCDCTL_API=3 etcdctl "${args[@]}" >&2
  fi
}

# Tries one backup. Returns 0 when restored, 2 when it is corrupt or incomplete,
# 1 when S3 or the local disk failed (which must not silently fall back to an older backup).
# Called in a condition, where errexit does not apply: every step checks its own status.
try_backup() {
  local prefix="$1" dir rc name
  dir="${WORK_DIR}/$(basename "${prefix}")"
  mkdir -p "${dir}" || return 1
  for name in SHA256SUMS "${BACKUP_FILES[@]}"; do
    rc=0
    download "${prefix}${name}" "${dir}/${name}" || rc=$?
    if ((rc != 0)); then
      return "${rc}"
    fi
  done
  for name in "${BACKUP_FILES[@]}"; do
    grep -qE "^[0-9a-f]{64}  ${name}$" "${dir}/SHA256SUMS" || {
      log "backup ${prefix}: SHA256SUMS does not cover ${name}"
      return 2
    }
  done
  if ! (cd "${dir}" && sha256sum --strict --quiet -c SHA256SUMS >&2); then
    log "backup ${prefix}: checksum mismatch"
    return 2
  fi

  local pki_staging="${dir}/pki" etcd_staging
  mkdir -p "${pki_staging}" || return 1
  if ! tar -C "${pki_staging}" -xzf "${dir}/pki.tar.gz"; then
    log "backup ${prefix}: unreadable PKI archive"
    return 2
  fi
  for name in "${PKI_FILES[@]}"; do
    [[ -s "${pki_staging}/${name}" ]] || {
      log "backup ${prefix}: PKI archive lacks ${name}"
      return 2
    }
  done

  # Restore next to the data dir (same file system) so the final move is a rename.
  etcd_staging="${ETCD_DATA_DIR}/.restore-$$"
  rm -rf "${etcd_staging}" || return 1
  if ! restore_snapshot "${dir}" "${etcd_staging}"; then
    rm -rf "${etcd_staging}"
    log "backup ${prefix}: etcd snapshot restore failed"
    return 2
  fi

  install_pki "${pki_staging}" || return 1
  mv "${etcd_staging}/member" "${ETCD_DATA_DIR}/member" || return 1
  rm -rf "${etcd_staging}"
  chmod 0700 "${ETCD_DATA_DIR}" || return 1
  return 0
}

install_pki() {
  local from="$1" name
  for name in "${PKI_FILES[@]}"; do
    install -D -m 0600 "${from}/${name}" "${KUBERNETES_PKI_DIR}/${name}" || return 1
  done
  chmod 0644 "${KUBERNETES_PKI_DIR}"/*.crt "${KUBERNETES_PKI_DIR}"/etcd/*.crt "${KUBERNETES_PKI_DIR}/sa.pub"
}

main() {
  load_env
  require_env SCRIPTS_BUCKET
  BACKUP_PREFIX="${BACKUP_PREFIX:-etcd-backups/}"

  if [[ -d "${ETCD_DATA_DIR}/member" ]]; then
    log "${ETCD_DATA_DIR} already holds an etcd member; nothing to restore"
    write_state existing
    return 0
  fi
  mkdir -p "${ETCD_DATA_DIR}" "$(with_root /var/lib/kubecdk)"
  # Staging dirs left by an interrupted run.
  rm -rf "${ETCD_DATA_DIR}"/.restore-*

  local backups
  log "listing s3://${SCRIPTS_BUCKET}/${BACKUP_PREFIX} (waiting up to ${RESTORE_S3_WAIT_SECONDS}s for S3)"
  if ! backups="$(retry_for "${RESTORE_S3_WAIT_SECONDS}" list_backups)"; then
    die "cannot list s3://${SCRIPTS_BUCKET}/${BACKUP_PREFIX}; refusing to start an empty etcd while a backup may exist"
  fi
  if [[ -z "${backups}" ]]; then
    log "no backup found: a fresh cluster will be initialised"
    write_state fresh
    return 0
  fi

  umask 077
  WORK_DIR="$(mktemp -d "$(with_root /var/lib/kubecdk)/etcd-restore.XXXXXX")"
  trap cleanup EXIT

  local prefix rc
  while IFS= read -r prefix; do
    log "trying backup ${prefix}"
    rc=0
    try_backup "${prefix}" || rc=$?
    case "${rc}" in
      0)
        log "restored etcd and PKI from ${prefix}"
        write_state restored "${prefix}"
        return 0
        ;;
      2) log "backup ${prefix} is corrupt or incomplete; trying the previous one" ;;
      *) die "S3 failed while reading ${prefix}; refusing to fall back to an older backup" ;;
    esac
  done <<<"${backups}"
  die "none of the $(wc -l <<<"${backups}") backups could be restored; not starting an empty etcd"
}

main "$@"
