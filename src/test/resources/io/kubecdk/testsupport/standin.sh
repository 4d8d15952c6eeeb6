#!/usr/bin/env bash
# Test stand-in for the commands that need a real Linux node. Installed under each command's
# name on a PATH prepended in tests; records every call with its arguments to $STANDIN_LOG and
# keeps just enough state (in $STANDIN_STATE) for the scripts' idempotency checks.
set -euo pipefail

name="$(basename "$0")"
printf '%s %s\n' "${name}" "$*" >>"${STANDIN_LOG:?}"
state="${STANDIN_STATE:?}"
mkdir -p "${state}"
root="${KUBECDK_ROOT:-}"

last_arg() {
  local arg=""
  for arg in "$@"; do :; done
  printf '%s\n' "${arg}"
}

case "${name}" in
  kubeadm)
    case "${1:-}" in
      init)
        mkdir -p "${root}/etc/kubernetes/pki/etcd"
        touch "${root}/etc/kubernetes/admin.conf" "${root}/etc/kubernetes/kubelet.conf"
        ;;
      join)
        mkdir -p "${root}/etc/kubernetes"
        touch "${root}/etc/kubernetes/kubelet.conf"
        ;;
      token)
        suffix="$(printf '%016x' "$(( (RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM ))" | cut -c1-16)"
        printf 'kubeadm join %s --token abcdef.%s --discovery-token-ca-cert-hash sha256:%s \n' \
          "${STANDIN_API_ENDPOINT:-master.test.kube:6443}" "${suffix}" \
          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        ;;
    esac
    ;;
  blkid)
    device="$(last_arg "$@")"
    [[ -f "${device}.fstype" ]] || exit 2
    case "$*" in
      *TYPE*) cat "${device}.fstype" ;;
      *UUID*) printf '%s\n' "0d6f2c1e-5b7a-4c2e-9f3a-$(printf '%s' "${device}" | md5sum | cut -c1-12)" ;;
    esac
    ;;
  mkfs.*)
    device="$(last_arg "$@")"
    printf '%s\n' "${name#mkfs.}" >"${device}.fstype"
    ;;
  mount)
    last_arg "$@" >>"${state}/mounts"
    ;;
  mountpoint)
    dir="$(last_arg "$@")"
    grep -qxF "${dir}" "${state}/mounts" 2>/dev/null
    ;;
  hostname)
    if [[ "${1:-}" == "-s" ]]; then
      echo "ip-10-0-1-5"
    else
      echo "ip-10-0-1-5.eu-west-1.compute.internal"
    fi
    ;;
  ebsnvme-id)
    # prints the block device name EC2 was asked for, kept beside the fake device
    device="$(last_arg "$@")"
    [[ -f "${device}.ebsname" ]] || exit 1
    cat "${device}.ebsname"
    ;;
  curl)
    out=""
    while (($# > 0)); do
      case "$1" in
        -o) out="$2"; shift 2 ;;
        *) url="$1"; shift ;;
      esac
    done
    fixture="${STANDIN_FIXTURES:-/nonexistent}/$(basename "${url:-}")"
    [[ -f "${fixture}" ]] || exit 22
    cp "${fixture}" "${out}"
    ;;
  etcdctl)
    # Only installed by tests that do not run a real etcd.
    case "$*" in
      *"snapshot restore"*)
        snapshot="$3"
        data_dir=""
        while (($# > 0)); do
          if [[ "$1" == "--data-dir" ]]; then data_dir="$2"; fi
          shift
        done
        if grep -q CORRUPT "${snapshot}"; then
          echo "snapshot file integrity check failed" >&2
          exit 1
        fi
        mkdir -p "${data_dir}/member/snap"
        cp "${snapshot}" "${data_dir}/member/snap/db"
        ;;
    esac
    ;;
  *) ;;
esac
