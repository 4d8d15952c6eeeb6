[#ftl]
[#-- Shared bash functions and macros of every node's user-data. Square-bracket syntax: bash's ${VAR} passes through. --]
set -euo pipefail
umask 022

readonly ROOT="${KUBECDK_ROOT:-}"
readonly IMDS="${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}"
readonly SCRIPTS_BUCKET=[=q(scriptsBucket)]
readonly BUNDLE_HASH=[=q(bundleHash)]

log() {
  printf '%s kubecdk-userdata: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

# retry ATTEMPTS FIRST_DELAY COMMAND...: runs COMMAND until it succeeds, doubling the delay up to 60 s.
retry() {
  local attempts=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    if (( n >= attempts )); then
      log "giving up after ${n} attempts: $*"
      return 1
    fi
    log "attempt ${n} failed, retrying in ${delay}s: $*"
    sleep "$delay"
    n=$(( n + 1 ))
    delay=$(( delay * 2 > 60 ? 60 : delay * 2 ))
  done
}

imds_token() {
  curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' "${IMDS%/}/latest/api/token"
}

imds() {
  curl -fsS -H "X-aws-ec2-metadata-token: ${IMDS_TOKEN}" "${IMDS%/}/latest/meta-data/$1"
}

# Reads this instance's identity from IMDSv2 (token first, then metadata).
discover_instance() {
  IMDS_TOKEN=$(retry 10 1 imds_token)
  INSTANCE_ID=$(retry 10 1 imds instance-id)
  AVAIL_ZONE=$(retry 10 1 imds placement/availability-zone)
  REGION=$(retry 10 1 imds placement/region)
  PRIVATE_IP=$(retry 10 1 imds local-ipv4)
  PUBLIC_IP=$(imds public-ipv4 2>/dev/null || true)
  export AWS_DEFAULT_REGION="$REGION"
}

# squote VALUE: VALUE as one single-quoted shell word.
squote() {
  local escaped=${1//\'/\'\\\'\'}
  printf "'%s'" "$escaped"
}

env_line() {
  printf '%s=%s\n' "$1" "$(squote "$2")"
}

# Writes the node's environment file, keys sorted, every value single-quoted.
write_env_file() {
  local dir="${ROOT}/etc/kubecdk"
  mkdir -p "$dir"
  {
[#list env as entry]
[#if entry.kind == "literal"]
    env_line [=entry.key] [=entry.value]
[#elseif entry.kind == "optional"]
    if [[ -n "${[=entry.value]:-}" ]]; then env_line [=entry.key] "$[=entry.value]"; fi
[#else]
    env_line [=entry.key] "$[=entry.value]"
[/#if]
[/#list]
  } > "${dir}/cluster.env.tmp"
  mv "${dir}/cluster.env.tmp" "${dir}/cluster.env"
  log "wrote ${dir}/cluster.env"
}

verify_bundle() {
  local dir=$1 actual
  actual=$(sha256sum "${dir}/SHA256SUMS" | cut -d' ' -f1)
  if [[ "$actual" != "$BUNDLE_HASH" ]]; then
    log "scripts manifest hash ${actual} does not match ${BUNDLE_HASH}"
    return 1
  fi
  (cd "$dir" && sha256sum --quiet --strict -c SHA256SUMS)
}

# Fetches the content-addressed scripts bundle, verifies every file, and installs it once.
fetch_scripts() {
  local dest="${ROOT}/opt/kubecdk/scripts" staging
  if [[ -f "${dest}/.bundle-${BUNDLE_HASH}" ]]; then
    log "scripts bundle ${BUNDLE_HASH} already installed"
    return 0
  fi
  mkdir -p "${ROOT}/opt/kubecdk"
  staging=$(mktemp -d "${ROOT}/opt/kubecdk/.scripts.XXXXXX")
  retry 8 2 aws s3 cp --recursive --only-show-errors "s3://${SCRIPTS_BUCKET}/scripts/${BUNDLE_HASH}/" "${staging}/"
  verify_bundle "$staging"
  rm -rf "$dest"
  mv "$staging" "$dest"
  touch "${dest}/.bundle-${BUNDLE_HASH}"
  log "installed scripts bundle ${BUNDLE_HASH}"
}
