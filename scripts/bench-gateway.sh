#!/usr/bin/env bash
# Benchmarks the sessiongw gateway on the Local backend and rewrites its section of
# docs/benchmarks.md:
#   - create→RUNNING latency of `notebook` sessions created one after another,
#   - GetSession and ListSessions with 10,000 stored sessions, and the gateway's RSS,
#   - how long one change takes to reach 1,000 concurrent WatchSessions streams.
# Runs by hand (not in CI), in about 5 to 10 minutes. The gateway, every session process
# and every temporary file are removed at the end, also when the run fails or is
# interrupted.
#
# Settings (environment):
#   BENCH_CREATE_SESSIONS=100    sessions timed from CreateSession to RUNNING
#   BENCH_STORED_SESSIONS=10000  sessions in the store for GetSession/ListSessions/RSS
#   BENCH_FILL_ENVIRONMENTS=20   compute environments the stored sessions are spread over
#   BENCH_WATCHERS=1000          concurrent WatchSessions streams
#   BENCH_WATCH_PROCESSES=2      client processes the streams are spread over
#   BENCH_WATCH_ROUNDS=5         changes, one at a time, each timed to every stream
#   BENCH_GET_CALLS=2000         GetSession calls timed with grpcio
#   BENCH_H2LOAD_CALLS=5000      GetSession calls timed with h2load (0 to skip)
#   BENCH_SKIP_BUILD=1           use the existing .build/release/sessiongw
#   BENCH_DOC=docs/benchmarks.md where to write the section ("" to print it only)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lib="$root/scripts/lib"
binary="$root/.build/release/sessiongw"
doc="${BENCH_DOC-$root/docs/benchmarks.md}"
fill_environments="${BENCH_FILL_ENVIRONMENTS:-20}"

work="$(mktemp -d -t bench-gateway.XXXXXX)"
data="$work/data"
gateway_pid=""
bench_pid=""
address=""

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-gateway: %s\n' "$*" >&2; exit 1; }

bench() { python3 "$lib/gateway_bench.py" "$@"; }

# Runs a measurement in the background and waits for it, so that a signal to this script
# is handled at once (bash runs traps only between foreground commands).
bench_in_background() {
  python3 "$lib/gateway_bench.py" "$@" &
  bench_pid=$!
  wait "$bench_pid"
  bench_pid=""
}

stop_bench() {
  [ -n "$bench_pid" ] || return 0
  kill -TERM "$bench_pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$bench_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  kill -KILL "$bench_pid" 2>/dev/null || true
  wait "$bench_pid" 2>/dev/null || true
  bench_pid=""
}

# Deletes the sessions that may hold processes through the API, stops the gateway, kills
# any session process that outlived it, and removes the data directory. The stored
# sessions' commands exited long ago (they are FAILED), so they go with the directory:
# deleting 10,000 sessions one by one through the API would take minutes.
stop_gateway() {
  if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then
    bench cleanup --address "$address" --token-file "$data/admin-token" --stubs "$work/stubs" \
      --keep-failed --timeout 60 || log "deleting sessions through the API failed; killing their processes"
    kill -TERM "$gateway_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$gateway_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    kill -KILL "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
  gateway_pid=""
  if [ -d "$data" ]; then
    bench kill-leftovers --data-dir "$data" || true
  fi
}

# Keeps the gateway's log and the results when the run fails.
cleanup() {
  local status=$?
  trap - INT TERM
  stop_bench
  stop_gateway
  rm -rf "$data"
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    printf 'bench-gateway: gateway log and results kept in %s\n' "$work" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_dependencies() {
  log "installing dependencies (build tools, grpcio, grpcio-tools, h2load) if missing"
  "$root/scripts/install-deps.sh" build test bench
}

build_gateway() {
  if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
    log "skipping the build (BENCH_SKIP_BUILD=1)"
  else
    log "building sessiongw (release)"
    (cd "$root" && swift build -c release --product sessiongw)
  fi
  [ -x "$binary" ] || die "$binary does not exist; build it or unset BENCH_SKIP_BUILD"
}

# The embedded default's `local` environment and `notebook` preset, a preset whose
# command exits at once (the stored sessions: FAILED, no process), and the environments
# the stored sessions are spread over. Every environment gets a 1 TiB disk limit so
# 10,000 home volumes of 16 MiB fit.
write_config() {
  local config="$work/config.yaml" index
  {
    echo "computeEnvironments:"
    echo "  - {id: local, backend: local, pools: [default], writableBuckets: [scratch], readableBuckets: [reference], diskLimit: 1TiB}"
    echo "  - {id: bench-empty, backend: local, diskLimit: 1TiB}"
    for ((index = 0; index < fill_environments; index++)); do
      printf '  - {id: fill-%02d, backend: local, diskLimit: 1TiB}\n' "$index"
    done
    cat <<'YAML'
presets:
  - id: notebook
    displayName: Python workspace (HTTP file browser)
    ideKind: JUPYTERLAB
    command: ["sh", "-c", "exec python3 -m http.server \"$SESSION_PORT\" --bind 127.0.0.1 --directory /workspace"]
    images: [{name: python3, reference: python3, tag: RECOMMENDED}]
    podSizes: [{name: small, cpu: 1, memory: 2GiB}, {name: medium, cpu: 2, memory: 8GiB}]
    defaultPodSize: small
  - id: exits
    displayName: A command that exits at once
    ideKind: TERMINAL
    command: ["sh", "-c", "exit 3"]
    images: [{name: none, reference: none, tag: RECOMMENDED}]
    podSizes: [{name: tiny, cpu: 0.1, memory: 16MiB}]
    defaultPodSize: tiny
YAML
  } >"$config"
  echo "$config"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the gateway on the data directory; sets gateway_pid and address.
start_gateway() {
  local config="$1" log="$work/$2" port
  port="$(free_port)"
  address="127.0.0.1:$port"
  "$binary" serve --config "$config" --data-dir "$data" --listen "$address" >"$log" 2>&1 &
  gateway_pid=$!
  local deadline=$((SECONDS + 30))
  until grep -q '^sessiongw listening on' "$log" 2>/dev/null; do
    kill -0 "$gateway_pid" 2>/dev/null || die "the gateway exited before listening; its output:
$(tail -n 20 "$log")"
    [ "$SECONDS" -lt "$deadline" ] || die "the gateway did not listen on $address within 30 s"
    sleep 0.1
  done
  [ -s "$data/admin-token" ] || die "the gateway wrote no admin token to $data/admin-token"
  log "gateway (pid $gateway_pid) listening on $address"
}

# Stops the gateway with SIGTERM, keeping its sessions, as an operator restarting it would.
stop_for_restart() {
  kill -TERM "$gateway_pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$gateway_pid" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "the gateway did not stop within 30 s of SIGTERM"
    sleep 0.1
  done
  wait "$gateway_pid" 2>/dev/null || true
  gateway_pid=""
}

main() {
  install_dependencies
  build_gateway
  local config quiet_config results="$work/results.json"
  config="$(write_config)"
  bench stubs "$work/stubs"
  start_gateway "$config" gateway.log
  run_phases create,watch,stored
  # The same sessions once more, after a restart with the periodic reconcile pass an hour
  # apart: separates what the API and the store cost from what the pass costs.
  log "restarting the gateway with reconcileInterval: 1h"
  stop_for_restart
  quiet_config="$work/config-quiet.yaml"
  { echo "reconcileInterval: 1h"; cat "$config"; } >"$quiet_config"
  start_gateway "$quiet_config" gateway-restarted.log
  run_phases quiet
  stop_gateway
  python3 "$lib/gateway_report.py" "$results" --doc "${doc:-$work/benchmarks.md}"
  [ -n "$doc" ] || cat "$work/benchmarks.md"
}

run_phases() {
  bench_in_background run --phases "$1" --address "$address" --token-file "$data/admin-token" --stubs "$work/stubs" \
    --pid "$gateway_pid" --out "$work/results.json" \
    --create-sessions "${BENCH_CREATE_SESSIONS:-100}" \
    --stored-sessions "${BENCH_STORED_SESSIONS:-10000}" \
    --fill-environments "$fill_environments" \
    --watchers "${BENCH_WATCHERS:-1000}" \
    --watch-processes "${BENCH_WATCH_PROCESSES:-2}" \
    --watch-rounds "${BENCH_WATCH_ROUNDS:-5}" \
    --get-calls "${BENCH_GET_CALLS:-2000}" \
    --h2load-calls "${BENCH_H2LOAD_CALLS:-5000}"
}

main "$@"
