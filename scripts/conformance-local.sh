#!/usr/bin/env bash
# Runs the conformance kit with the `sessiongw conformance` command against the Local
# backend three times: in process; out of process behind `sessiongw provider serve` on a
# Unix socket (our transport on both sides); and behind the example plugin of
# examples/provider-plugin (ProviderPlugin.serve from a plugin's own code). Writes
# reports/conformance-local.xml, conformance-local-remote.xml and
# conformance-example-plugin.xml (JUnit). Exits non-zero when a case fails.
#
# Usage: scripts/conformance-local.sh [BIN_DIR]   (default: the debug build's bin path)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin_dir=${1:-$(swift build --show-bin-path)}
sessiongw="$bin_dir/sessiongw"
for program in sessiongw example-provider-plugin; do
  [ -x "$bin_dir/$program" ] || { echo "conformance-local: $bin_dir/$program is not built" >&2; exit 1; }
done

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

# The Local backend emulates buckets as directories: BUCKETS/scratch, BUCKETS/reference.
prepare_buckets() {
  mkdir -p "$1/scratch/projects/a" "$1/reference/genomes"
  echo input >"$1/scratch/projects/a/input.txt"
  echo "do not read" >"$1/scratch/projects/secret.txt"
  echo ACGT >"$1/reference/genomes/hg38.txt"
}

# check_served NAME JUNIT COMMAND...: starts the provider COMMAND (which must say
# "listening on" once it listens on unix:$work/NAME.sock), runs the kit against it, stops it.
check_served() {
  local name=$1 junit=$2 result=0
  shift 2
  "$@" >"$work/$name.log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 30))
  until grep -q 'listening on' "$work/$name.log"; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      echo "conformance-local: the provider $name did not start:" >&2
      cat "$work/$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  "$sessiongw" conformance --provider "unix:$work/$name.sock" --config "$work/config.yaml" --junit "$junit" || result=1
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  return "$result"
}

mkdir -p reports
status=0

printf '==> conformance of the Local backend in process\n' >&2
prepare_buckets "$work/in-process/environments/local/buckets"
"$sessiongw" conformance --provider local --config "$work/config.yaml" --data-dir "$work/in-process" \
  --junit reports/conformance-local.xml || status=1

printf '==> conformance of the Local backend out of process (sessiongw provider serve)\n' >&2
prepare_buckets "$work/plugin/environments/local/buckets"
check_served local reports/conformance-local-remote.xml \
  "$sessiongw" provider serve --config "$work/config.yaml" --data-dir "$work/plugin" --listen "unix:$work/local.sock" \
  || status=1

printf '==> conformance of the example plugin (examples/provider-plugin: the Local backend behind a CPU cap)\n' >&2
prepare_buckets "$work/example/buckets"
check_served example reports/conformance-example-plugin.xml \
  "$bin_dir/example-provider-plugin" --listen "unix:$work/example.sock" --data-dir "$work/example" --max-cpu-millis 4000 \
  || status=1
exit "$status"
