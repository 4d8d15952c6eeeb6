#!/usr/bin/env bash
# kubecdk user-data of the master of environment [=environment], scripts bundle [=bundleHash].
[#include "common.sh.ftl"]

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
