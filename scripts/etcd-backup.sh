#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Saves an etcd snapshot and the cluster PKI to
#   s3://$SCRIPTS_BUCKET/${BACKUP_PREFIX}<UTC yyyyMMddTHHmmssZ>/{snapshot.db,pki.tar.gz,SHA256SUMS}
# then points ${BACKUP_PREFIX}latest at that prefix. SHA256SUMS is uploaded after the data, so a
# backup without it is incomplete. Never deletes anything: retention is a bucket lifecycle rule that
# expires backups tagged kubecdk:superseded=true, a tag put on the previous backup once the new one is
# complete, so the newest backup never expires.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"
# shellcheck source=lib/etcd.sh
source "${SCRIPT_DIR}/lib/etcd.sh"

WORK_DIR=""

cleanup() {
  if [[ -n "${WORK_DIR}" ]]; then
    rm -rf "${WORK_DIR}"
  fi
}

# Called through retry, where errexit does not apply: every step checks its own status.
take_snapshot() {
  local file="$1"
  rm -f "${file}" "${file}.part" || return 1
  etcdctl_v3 "${ETCD_HEALTH_TIMEOUT}" endpoint health >&2 || return 1
  etcdctl_v3 "${ETCD_SNAPSHOT_TIMEOUT}" snapshot save "${file}" >&2 || return 1
}

archive_pki() {
  local file="$1" name
  for name in "${PKI_FILES[@]}"; do
    [[ -f "${KUBERNETES_PKI_DIR}/${name}" ]] || die "missing ${KUBERNETES_PKI_DIR}/${name}"
  done
  tar -C "${KUBERNETES_PKI_DIR}" -czf "${file}" "${PKI_FILES[@]}"
}

# Prints the prefix the latest pointer names, or nothing when there is none (or it cannot be read now:
# then the previous backup simply stays until a later one is tagged; nothing is lost).
previous_backup() {
  local pointer
  pointer="$(aws s3 cp --only-show-errors "s3://${SCRIPTS_BUCKET}/${BACKUP_PREFIX}latest" - 2>/dev/null)" \
    || return 0
  printf '%s' "${pointer}" | head -n 1
}

# Tags every object of a superseded backup so that the lifecycle rule can expire it.
mark_superseded() {
  local prefix="$1" name
  for name in "${BACKUP_FILES[@]}" SHA256SUMS; do
    aws_retry s3api put-object-tagging --bucket "${SCRIPTS_BUCKET}" --key "${prefix}${name}" \
      --tagging 'TagSet=[{Key=kubecdk:superseded,Value=true}]' \
      || log "cannot tag ${prefix}${name} as superseded; it stays until tagged"
  done
}

upload() {
  local file="$1" key="$2"
  aws_retry s3 cp --only-show-errors --sse aws:kms "${file}" "s3://${SCRIPTS_BUCKET}/${key}"
}

main() {
  load_env
  require_env SCRIPTS_BUCKET
  BACKUP_PREFIX="${BACKUP_PREFIX:-etcd-backups/}"

  local lock_dir stamp prefix start name
  lock_dir="$(with_root /var/lib/kubecdk)"
  mkdir -p "${lock_dir}"
  exec 9>"${lock_dir}/etcd-backup.lock"
  flock -n 9 || die "another backup is running"

  start="$(date +%s)"
  umask 077
  WORK_DIR="$(mktemp -d "${lock_dir}/etcd-backup.XXXXXX")"
  trap cleanup EXIT

  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  prefix="${BACKUP_PREFIX}${stamp}/"
  log "backing up etcd at ${ETCD_ENDPOINT} to s3://${SCRIPTS_BUCKET}/${prefix}"

  retry 3 take_snapshot "${WORK_DIR}/snapshot.db"
  archive_pki "${WORK_DIR}/pki.tar.gz"
  (cd "${WORK_DIR}" && sha256sum "${BACKUP_FILES[@]}" >SHA256SUMS)

  for name in "${BACKUP_FILES[@]}" SHA256SUMS; do
    upload "${WORK_DIR}/${name}" "${prefix}${name}"
  done
  local previous
  previous="$(previous_backup)"
  printf '%s\n' "${prefix}" >"${WORK_DIR}/latest"
  upload "${WORK_DIR}/latest" "${BACKUP_PREFIX}latest"
  if [[ -n "${previous}" && "${previous}" != "${prefix}" ]]; then
    mark_superseded "${previous}"
  fi

  log "backup ${prefix} done: snapshot $(stat -c %s "${WORK_DIR}/snapshot.db") bytes in $(($(date +%s) - start))s"
  printf '%s\n' "${prefix}"
}

main "$@"
