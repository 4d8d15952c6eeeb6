#!/usr/bin/env bash
# Shared helpers for the kubecdk node scripts. Source it; do not run it.
#
# Conventions:
#   * every path on the node goes through with_root, so that KUBECDK_ROOT
#     (empty on real nodes) can point the scripts at a sandbox;
#   * every AWS call goes through aws_retry (bounded attempts, exponential backoff);
#   * steps that must happen once leave a marker under /var/lib/kubecdk.

if [[ -n "${KUBECDK_COMMON_LOADED:-}" ]]; then
  return 0
fi
KUBECDK_COMMON_LOADED=1

# Command substitutions fail the script like any other command (bash clears -e in them otherwise).
shopt -s inherit_errexit

KUBECDK_ROOT="${KUBECDK_ROOT:-}"
SCRIPT_NAME="${SCRIPT_NAME:-$(basename "${0}")}"

# Exponential backoff settings, overridable for tests and slow regions.
RETRY_BASE_DELAY="${RETRY_BASE_DELAY:-2}"
RETRY_MAX_DELAY="${RETRY_MAX_DELAY:-60}"
AWS_RETRY_ATTEMPTS="${AWS_RETRY_ATTEMPTS:-6}"

# The node path of the scripts folder (what systemd units refer to).
KUBECDK_SCRIPTS_DIR="${KUBECDK_SCRIPTS_DIR:-/opt/kubecdk/scripts}"

# Logs one line to stderr: UTC timestamp, script name, message.
log() {
  printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${SCRIPT_NAME}" "$*" >&2
}

# Logs the message and exits non-zero.
die() {
  log "ERROR: $*"
  exit 1
}

# Prints PATH prefixed with KUBECDK_ROOT.
with_root() {
  printf '%s%s\n' "${KUBECDK_ROOT}" "$1"
}

# Fails unless every named variable is set and not empty.
require_env() {
  local name missing=()
  for name in "$@"; do
    if [[ -z "${!name:-}" ]]; then
      missing+=("${name}")
    fi
  done
  if ((${#missing[@]} > 0)); then
    die "missing required settings: ${missing[*]}"
  fi
}

# Sources the cluster environment file written by the user-data and exports its keys.
load_env() {
  local file="${KUBECDK_ENV_FILE:-$(with_root /etc/kubecdk/cluster.env)}"
  [[ -r "${file}" ]] || die "environment file ${file} is missing"
  set -a
  # shellcheck disable=SC1090
  source "${file}"
  set +a
  if [[ -n "${REGION:-}" ]]; then
    export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-${REGION}}"
  fi
}

# Delay in seconds before attempt N+1 (N starting at 1): base * 2^(N-1), capped.
backoff_delay() {
  local attempt="$1"
  awk -v b="${RETRY_BASE_DELAY}" -v m="${RETRY_MAX_DELAY}" -v n="${attempt}" \
    'BEGIN { d = b * 2 ^ (n - 1); if (d > m) d = m; printf "%g\n", d }'
}

# retry ATTEMPTS COMMAND... : runs COMMAND until it succeeds, at most ATTEMPTS times,
# sleeping with exponential backoff in between. Returns the last exit code.
retry() {
  local attempts="$1" attempt=1 rc delay
  shift
  while true; do
    rc=0
    "$@" || rc=$?
    if ((rc == 0)); then
      return 0
    fi
    if ((attempt >= attempts)); then
      log "giving up after ${attempt} attempts (exit ${rc}): $1"
      return "${rc}"
    fi
    delay="$(backoff_delay "${attempt}")"
    log "attempt ${attempt}/${attempts} failed (exit ${rc}): $1; retrying in ${delay}s"
    sleep "${delay}"
    attempt=$((attempt + 1))
  done
}

# retry_for SECONDS COMMAND... : like retry, but bounded by a time budget rather than
# a number of attempts. Always makes at least one attempt.
retry_for() {
  local budget="$1" attempt=1 rc delay start now
  shift
  start="$(date +%s)"
  while true; do
    rc=0
    "$@" || rc=$?
    if ((rc == 0)); then
      return 0
    fi
    now="$(date +%s)"
    delay="$(backoff_delay "${attempt}")"
    if (($(awk -v s="${start}" -v n="${now}" -v d="${delay}" -v b="${budget}" \
      'BEGIN { print (n - s + d > b) ? 1 : 0 }'))); then
      log "giving up after ${attempt} attempts in $((now - start))s (budget ${budget}s, exit ${rc}): $1"
      return "${rc}"
    fi
    log "attempt ${attempt} failed (exit ${rc}): $1; retrying in ${delay}s"
    sleep "${delay}"
    attempt=$((attempt + 1))
  done
}

# The AWS CLI with bounded retries and backoff.
aws_retry() {
  retry "${AWS_RETRY_ATTEMPTS}" aws "$@"
}

# Marker files record the steps that must run once per node.
marker_path() {
  with_root "/var/lib/kubecdk/$1.done"
}

is_done() {
  [[ -e "$(marker_path "$1")" ]]
}

mark_done() {
  local marker
  marker="$(marker_path "$1")"
  mkdir -p "$(dirname "${marker}")"
  date -u +%Y-%m-%dT%H:%M:%SZ >"${marker}"
}

# run_once NAME COMMAND... : runs COMMAND unless NAME is already done, then marks it done.
run_once() {
  local name="$1"
  shift
  if is_done "${name}"; then
    log "step ${name} already done, skipping"
    return 0
  fi
  log "step ${name}: starting"
  "$@"
  mark_done "${name}"
  log "step ${name}: done"
}

# write_file PATH MODE : writes stdin to PATH atomically when the content differs.
# Returns 0 when the file changed, 1 when it was already up to date.
# Callers use it as a condition, where errexit does not apply: failures end the script.
write_file() {
  local path="$1" mode="$2" tmp
  mkdir -p "$(dirname "${path}")" || die "cannot create the directory of ${path}"
  tmp="$(mktemp "${path}.XXXXXX")" || die "cannot write ${path}"
  cat >"${tmp}" || die "cannot write ${path}"
  chmod "${mode}" "${tmp}" || die "cannot write ${path}"
  if [[ -f "${path}" ]] && cmp -s "${tmp}" "${path}"; then
    rm -f "${tmp}"
    return 1
  fi
  mv -f "${tmp}" "${path}" || die "cannot write ${path}"
  return 0
}

# install_unit NAME : writes stdin as a systemd unit; reloads systemd when it changed.
install_unit() {
  local name="$1"
  if write_file "$(with_root "/etc/systemd/system/${name}")" 0644; then
    log "installed systemd unit ${name}"
    systemctl daemon-reload
  fi
}

# Installs and starts the unit that keeps this node's record in the private zone: registered at
# start, deleted at shutdown.
install_dns_unit() {
  install_unit kubecdk-dns.service <<UNIT
[Unit]
Description=kubecdk: this node's record in the private hosted zone
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/env bash ${KUBECDK_SCRIPTS_DIR}/dns-register.sh register
ExecStop=/usr/bin/env bash ${KUBECDK_SCRIPTS_DIR}/dns-register.sh deregister

[Install]
WantedBy=multi-user.target
UNIT
  systemctl enable --now kubecdk-dns.service
}

# Quotes a value for a bash-sourceable KEY='value' line.
shell_quote() {
  local value="$1"
  printf "'%s'" "${value//\'/\'\\\'\'}"
}

# Prints the value of KEY from a file of KEY='value' lines (as shell_quote writes them)
# without executing anything. Fails when KEY is absent or its line is not in that form.
read_env_value() {
  local file="$1" key="$2" line rest value=""
  line="$(grep -E "^${key}=" "${file}" | tail -n 1)" || return 1
  rest="${line#*=}"
  while [[ -n "${rest}" ]]; do
    if [[ "${rest}" == "'"* ]]; then
      rest="${rest#\'}"
      [[ "${rest}" == *"'"* ]] || return 1
      value+="${rest%%\'*}"
      rest="${rest#*\'}"
    elif [[ "${rest}" == "\\'"* ]]; then
      value+="'"
      rest="${rest#\\\'}"
    else
      return 1
    fi
  done
  printf '%s\n' "${value}"
}

# The short host name used for this node's DNS record.
node_hostname() {
  if [[ -n "${NODE_HOSTNAME:-}" ]]; then
    printf '%s\n' "${NODE_HOSTNAME}"
  else
    hostname -s
  fi
}

# The Kubernetes node name (kubelet's default: the host name, lower case).
node_name() {
  if [[ -n "${NODE_NAME:-}" ]]; then
    printf '%s\n' "${NODE_NAME}"
  else
    hostname | tr '[:upper:]' '[:lower:]'
  fi
}

# Downloads URL to FILE with retries.
fetch_url() {
  local url="$1" file="$2"
  retry "${AWS_RETRY_ATTEMPTS}" curl -fsSL --connect-timeout 10 --max-time 300 -o "${file}" "${url}"
}
