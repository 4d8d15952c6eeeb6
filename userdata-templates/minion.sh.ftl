#!/usr/bin/env bash
# kubecdk user-data of a [=role] minion of group [=group] in environment [=environment], scripts bundle [=bundleHash].
[#include "common.sh.ftl"]
readonly ENVIRONMENT=[=q(environment)]

# Prints the private IP of the running master, found by its tags; fails while there is none.
master_ip() {
  local ip
  ip=$(aws ec2 describe-instances \
    --filters "Name=tag:kubecdk:environment,Values=${ENVIRONMENT}" "Name=tag:kubecdk:role,Values=master" \
              "Name=instance-state-name,Values=running" \
    --query 'Reservations[].Instances[].PrivateIpAddress' --output text)
  ip=${ip%%[[:space:]]*}
  [[ -n "$ip" && "$ip" != None ]] || return 1
  printf '%s\n' "$ip"
}

main() {
  discover_instance
  # The master may still be booting; joining itself waits on master.<env>.kube and the join data.
  MASTER_IP=$(retry 10 5 master_ip || true)
  write_env_file
  fetch_scripts
  exec bash "${ROOT}/opt/kubecdk/scripts/bootstrap-minion.sh"
}

main "$@"
