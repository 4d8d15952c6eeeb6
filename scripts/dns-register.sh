#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# dns-register.sh register|deregister
# register:   UPSERT <hostname>.$PRIVATE_ZONE A $PRIVATE_IP in the private hosted zone $ZONE_ID.
# deregister: DELETE that record if it still points at this node (nothing to do otherwise).
# Installed as kubecdk-dns.service: ExecStart registers at boot, ExecStop deregisters at shutdown.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "${SCRIPT_DIR}/lib/common.sh"

DNS_TTL="${DNS_TTL:-60}"

record_name() {
  printf '%s.%s.\n' "$(node_hostname)" "${PRIVATE_ZONE%.}"
}

change_batch() {
  local action="$1" name="$2" ttl="$3" ip="$4"
  printf '{"Comment":"kubecdk node %s","Changes":[{"Action":"%s","ResourceRecordSet":{"Name":"%s","Type":"A","TTL":%s,"ResourceRecords":[{"Value":"%s"}]}}]}\n' \
    "${INSTANCE_ID:-unknown}" "${action}" "${name}" "${ttl}" "${ip}"
}

change() {
  aws_retry route53 change-resource-record-sets --hosted-zone-id "${ZONE_ID}" \
    --change-batch "$(change_batch "$@")" --output text --query 'ChangeInfo.Id' >/dev/null
}

# Prints "TTL<TAB>IP" of the current A record NAME, or nothing.
current_record() {
  local name="$1" out
  out="$(aws_retry route53 list-resource-record-sets --hosted-zone-id "${ZONE_ID}" \
    --start-record-name "${name}" --start-record-type A --max-items 1 --output text \
    --query "ResourceRecordSets[?Name=='${name}' && Type=='A'] | [0].[TTL, ResourceRecords[0].Value]")" ||
    return 1
  if [[ "${out}" != "None" ]]; then
    printf '%s\n' "${out}"
  fi
}

register() {
  local name
  name="$(record_name)"
  change UPSERT "${name}" "${DNS_TTL}" "${PRIVATE_IP}"
  log "registered ${name} A ${PRIVATE_IP}"
}

deregister() {
  local name record ttl ip
  name="$(record_name)"
  record="$(current_record "${name}")"
  if [[ -z "${record}" ]]; then
    log "no record ${name}; nothing to deregister"
    return 0
  fi
  read -r ttl ip <<<"${record}"
  if [[ "${ip}" != "${PRIVATE_IP}" ]]; then
    log "${name} points at ${ip}, not at this node (${PRIVATE_IP}); leaving it"
    return 0
  fi
  change DELETE "${name}" "${ttl}" "${ip}"
  log "deregistered ${name}"
}

main() {
  local action="${1:-}"
  load_env
  require_env ZONE_ID PRIVATE_ZONE PRIVATE_IP
  case "${action}" in
    register) register ;;
    deregister) deregister ;;
    *) die "usage: dns-register.sh register|deregister" ;;
  esac
}

main "$@"
