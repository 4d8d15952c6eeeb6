#!/usr/bin/env bash
# kubeadm configuration helpers shared by the bootstrap scripts. Source it after common.sh.

# kubeadm.k8s.io/v1beta4 arrived with Kubernetes 1.31; older releases take v1beta3.
kubeadm_api_version() {
  local minor="${KUBERNETES_VERSION#*.}"
  minor="${minor%%.*}"
  if ((minor >= 31)); then
    printf 'kubeadm.k8s.io/v1beta4\n'
  else
    printf 'kubeadm.k8s.io/v1beta3\n'
  fi
}

# The node labels every node gets: role, group, zone, then NODE_LABELS.
node_labels() {
  local role="$1" labels
  labels="kubecdk.io/role=${role}"
  if [[ -n "${MINION_GROUP:-}" ]]; then
    labels+=",kubecdk.io/group=${MINION_GROUP}"
  fi
  if [[ -n "${AVAIL_ZONE:-}" ]]; then
    labels+=",topology.kubernetes.io/zone=${AVAIL_ZONE}"
  fi
  if [[ -n "${NODE_LABELS:-}" ]]; then
    labels+=",${NODE_LABELS}"
  fi
  printf '%s\n' "${labels}"
}

# Prints the nodeRegistration block (indented two spaces) for NAME and LABELS.
node_registration() {
  local name="$1" labels="$2"
  printf '  name: "%s"\n' "${name}"
  printf '  criSocket: unix:///run/containerd/containerd.sock\n'
  printf '  kubeletExtraArgs:\n'
  if [[ "$(kubeadm_api_version)" == *v1beta4 ]]; then
    printf '  - name: node-labels\n    value: "%s"\n' "${labels}"
  else
    printf '    node-labels: "%s"\n' "${labels}"
  fi
}

# The kubelet settings shared by masters and minions.
kubelet_configuration() {
  cat <<'YAML'
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
YAML
}
