#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Associates one free Elastic IP of the pool (addresses tagged kubecdk:eip-pool=$EIP_POOL)
# with this load-balancer minion. Concurrent minions race for addresses: association uses
# --no-allow-reassociation, so a lost race fails with Resource.AlreadyAssociated and the next
# free address is tried. Holding an address of the pool already means done. When none is free,
# waits with backoff for up to EIP_CLAIM_WAIT_SECONDS (default 600), then fails.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"

EIP_CLAIM_WAIT_SECONDS="${EIP_CLAIM_WAIT_SECONDS:-600}"
# random spreads concurrent minions over the pool; sorted makes them collide (tests).
EIP_PICK_ORDER="${EIP_PICK_ORDER:-random}"
POOL_TAG="kubecdk:eip-pool"

# Prints the allocation ids of pool addresses matching the JMESPath filter FILTER.
pool_addresses() {
  local filter="$1" out
  out="$(aws_retry ec2 describe-addresses \
    --filters "Name=tag:${POOL_TAG},Values=${EIP_POOL}" \
    --query "Addresses[?${filter}].AllocationId" --output text)" || return 1
  tr '\t' '\n' <<<"${out}" | grep -E '^eipalloc-' || true
}

held_address() {
  pool_addresses "InstanceId=='${INSTANCE_ID}'" </dev/null | sed -n 1p
}

order() {
  if [[ "${EIP_PICK_ORDER}" == sorted ]]; then
    sort
  else
    shuf
  fi
}

# Returns 0 when associated, 3 when the address was taken meanwhile, 1 on other errors.
associate() {
  local allocation="$1" err
  if err="$(aws ec2 associate-address --no-allow-reassociation \
    --instance-id "${INSTANCE_ID}" --allocation-id "${allocation}" --output text 2>&1 >/dev/null </dev/null)"; then
    return 0
  fi
  case "${err}" in
    *Resource.AlreadyAssociated* | *InvalidAddress.InUse* | *InvalidAllocationID.NotFound*)
      log "lost the race for ${allocation}: ${err}"
      return 3
      ;;
    *)
      log "associating ${allocation} failed: ${err}"
      return 1
      ;;
  esac
}

# One pass over the free addresses. Succeeds once this instance holds a pool address.
# Called through retry_for, where errexit does not apply: every step checks its own status.
claim_once() {
  local held allocation rc free
  held="$(held_address)" || return 1
  if [[ -n "${held}" ]]; then
    log "instance ${INSTANCE_ID} holds ${held} of pool ${EIP_POOL}"
    printf '%s\n' "${held}"
    return 0
  fi
  free="$(pool_addresses "AssociationId==null" | order)" || return 1
  while IFS= read -r allocation; do
    [[ -n "${allocation}" ]] || continue
    rc=0
    associate "${allocation}" || rc=$?
    if ((rc == 0)); then
      held="$(held_address)" || return 1
      if [[ -n "${held}" ]]; then
        log "claimed ${held} of pool ${EIP_POOL}"
        printf '%s\n' "${held}"
        return 0
      fi
      log "association of ${allocation} did not stick; trying again"
    fi
  done <<<"${free}"
  log "no free address in pool ${EIP_POOL}"
  return 1
}

main() {
  load_env
  require_env EIP_POOL INSTANCE_ID
  retry_for "${EIP_CLAIM_WAIT_SECONDS}" claim_once ||
    die "could not claim an Elastic IP of pool ${EIP_POOL} within ${EIP_CLAIM_WAIT_SECONDS}s"
}

main "$@"
