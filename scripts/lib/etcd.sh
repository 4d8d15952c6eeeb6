#!/usr/bin/env bash
# etcd settings shared by etcd-backup.sh and etcd-restore.sh. Source it after common.sh.
#
# Defaults match a kubeadm stacked etcd; every one can be overridden from the environment
# (the tests use a plain-HTTP etcd on loopback, for which no client certificates are passed).

ETCD_ENDPOINT="${ETCD_ENDPOINT:-https://127.0.0.1:2379}"
ETCD_CACERT="${ETCD_CACERT:-$(with_root /etc/kubernetes/pki/etcd/ca.crt)}"
ETCD_CERT="${ETCD_CERT:-$(with_root /etc/kubernetes/pki/etcd/healthcheck-client.crt)}"
ETCD_KEY="${ETCD_KEY:-$(with_root /etc/kubernetes/pki/etcd/healthcheck-client.key)}"
ETCD_DATA_DIR="${ETCD_DATA_DIR:-$(with_root /var/lib/etcd)}"
KUBERNETES_PKI_DIR="${KUBERNETES_PKI_DIR:-$(with_root /etc/kubernetes/pki)}"

# The cluster PKI a restored control plane needs to keep its identity; kubeadm init
# regenerates every other certificate from these authorities.
# shellcheck disable=SC2034 # used by the scripts that source this file
PKI_FILES=(
  ca.crt ca.key
  sa.key sa.pub
  front-proxy-ca.crt front-proxy-ca.key
  etcd/ca.crt etcd/ca.key
)

# shellcheck disable=SC2034 # used by the scripts that source this file
BACKUP_FILES=(snapshot.db pki.tar.gz)

# A health check answers in seconds; a snapshot of a large database can take minutes.
ETCD_HEALTH_TIMEOUT="${ETCD_HEALTH_TIMEOUT:-10s}"
ETCD_SNAPSHOT_TIMEOUT="${ETCD_SNAPSHOT_TIMEOUT:-10m}"

# etcdctl_v3 TIMEOUT ARGS... : runs etcdctl (API v3) against ETCD_ENDPOINT with a command
# timeout, passing client certificates for https endpoints.
etcdctl_v3() {
  local timeout="$1"
  shift
  local args=(--endpoints "${ETCD_ENDPOINT}" --dial-timeout=5s --command-timeout="${timeout}")
  if [[ "${ETCD_ENDPOINT}" == https://* ]]; then
    args+=(--cacert "${ETCD_CACERT}" --cert "${ETCD_CERT}" --key "${ETCD_KEY}")
  fi
  ETCDCTL_API=3 etcdctl "${args[@]}" "$@"
}

# Backups are stored under <BACKUP_PREFIX><UTC yyyyMMddTHHmmssZ>/.
backup_prefix_pattern() {
  printf '^%s[0-9]{8}T[0-9]{6}Z/$\n' "${BACKUP_PREFIX//./\\.}"
}
