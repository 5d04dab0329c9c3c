#!/usr/bin/env bash
# Runs the conformance kit with the `sessiongw conformance` command against the Local
# backend twice: in process, and out of process behind `sessiongw provider serve` on a
# Unix socket (our transport on both sides). Writes reports/conformance-local.xml and
# reports/conformance-local-remote.xml (JUnit). Exits non-zero when a case fails.
#
# Usage: scripts/conformance-local.sh [BIN_DIR]   (default: the debug build's bin path)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin_dir=${1:-$(swift build --show-bin-path)}
sessiongw="$bin_dir/sessiongw"
[ -x "$sessiongw" ] || { echo "conformance-local: $sessiongw is not built" >&2; exit 1; }

work=$(mktemp -d -t conformance-local.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# One environment, one preset whose command serves HTTP on $SESSION_PORT, and the
# data-links the kit mounts: `scratch` is writable, `reference` is not.
cat >"$work/config.yaml" <<'YAML'
computeEnvironments:
  - {id: local, backend: local, writableBuckets: [scratch], readableBuckets: [reference]}
presets:
  - id: http
    displayName: HTTP file server
    ideKind: TERMINAL
    command: ["sh", "-c", "exec python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1 --directory /workspace"]
    images: [{name: python3, reference: python3, tag: RECOMMENDED}]
    podSizes: [{name: small, cpu: 0.5, memory: 256MiB}]
    defaultPodSize: small
conformance:
  preset: http
  dataLinks:
    writable: s3://scratch/projects/a
    readOnly: s3://reference/genomes
    outsideEntry: secret.txt
  missingHomeVolume: no-such-volume
  overQuota: {cpu: 100000}   # more CPUs than the machine has
  repetitions: 3
  timeouts: {running: 60s, paused: 30s, probe: 10s, endpoint: 3s, watchEvent: 10s, testCase: 2m}
YAML

# The Local backend emulates buckets as directories under DATA/environments/ID/buckets.
prepare_buckets() {
  local buckets="$1/environments/local/buckets"
  mkdir -p "$buckets/scratch/projects/a" "$buckets/reference/genomes"
  echo input >"$buckets/scratch/projects/a/input.txt"
  echo "do not read" >"$buckets/scratch/projects/secret.txt"
  echo ACGT >"$buckets/reference/genomes/hg38.txt"
}

mkdir -p reports
status=0

printf '==> conformance of the Local backend in process\n' >&2
prepare_buckets "$work/in-process"
"$sessiongw" conformance --provider local --config "$work/config.yaml" --data-dir "$work/in-process" \
  --junit reports/conformance-local.xml || status=1

printf '==> conformance of the Local backend out of process (sessiongw provider serve)\n' >&2
prepare_buckets "$work/plugin"
"$sessiongw" provider serve --config "$work/config.yaml" --data-dir "$work/plugin" \
  --listen "unix:$work/local.sock" >"$work/provider.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + 30))
until grep -q 'listening on' "$work/provider.log"; do
  if ! kill -0 "$server_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "conformance-local: the provider did not start:" >&2
    cat "$work/provider.log" >&2
    exit 1
  fi
  sleep 0.1
done
"$sessiongw" conformance --provider "unix:$work/local.sock" --config "$work/config.yaml" \
  --junit reports/conformance-local-remote.xml || status=1
exit "$status"
