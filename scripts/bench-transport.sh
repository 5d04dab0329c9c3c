#!/usr/bin/env bash
# Transport benchmark: our gRPC server (rpc-interop-server) against grpc-swift-2 and gRPC C++.
# Run by hand, not by CI; it takes about 10 minutes and wants an otherwise quiet machine.
#
# Usage: scripts/bench-transport.sh
# For each server it drives, with h2load, unary /sessiongw.benchmark.v1.Echo/Unary calls at
# 1 connection x 1 stream, 8 x 16 and 64 x 32, server-streaming
# /sessiongw.benchmark.v1.Echo/ServerStream calls (1,000 messages of 64 bytes each) and
# 1 MiB unary calls (the loads are listed by `scripts/lib/transport_report.py loads`). It
# records calls/s, mean, p99 and max latency, the server's CPU seconds per 100,000 calls and
# peak RSS, measures the memory each idle HTTP/2 connection costs, prints the numbers and
# rewrites its section of docs/benchmarks.md.
#
# Settings (environment):
#   BENCH_DURATION=10        seconds each measured load runs (h2load -D)
#   BENCH_WARM_UP=2          seconds of the same load run before each measured one
#   BENCH_ROUNDS=2           rounds; the server order alternates and the best round counts
#   BENCH_PAYLOAD_SIZE=64    bytes in EchoMessage.payload of the small unary loads
#   BENCH_LARGE_PAYLOAD_SIZE=1048576   bytes in EchoMessage.payload of the 1mib load
#   BENCH_STREAM_MESSAGES=1000         messages per ServerStream call
#   BENCH_STREAM_PAYLOAD_SIZE=64       bytes in each of them
#   BENCH_LOADS="1x1 8x16 64x32 stream 1mib"   which loads to drive
#   BENCH_IDLE_CONNECTIONS=500
#   BENCH_H2LOAD_THREADS=1   h2load -t
#   BENCH_SERVERS="ours grpc-swift-2 grpc-c++"   which servers to measure
#   BENCH_SKIP_BUILD=1       use the existing release binaries
#   BENCH_DOC=docs/benchmarks.md        where to write the section ("" to skip writing)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lib="$root/scripts/lib"
echo_package="$root/Benchmarks/GRPCSwiftEcho"
cpp_echo="$root/Benchmarks/GRPCCppEcho"

duration="${BENCH_DURATION:-10}"
warm_up="${BENCH_WARM_UP:-2}"
rounds="${BENCH_ROUNDS:-2}"
payload_size="${BENCH_PAYLOAD_SIZE:-64}"
large_payload_size="${BENCH_LARGE_PAYLOAD_SIZE:-1048576}"
stream_messages="${BENCH_STREAM_MESSAGES:-1000}"
stream_payload_size="${BENCH_STREAM_PAYLOAD_SIZE:-64}"
read -r -a selected_loads <<<"${BENCH_LOADS:-1x1 8x16 64x32 stream 1mib}"
idle_connections="${BENCH_IDLE_CONNECTIONS:-500}"
h2load_threads="${BENCH_H2LOAD_THREADS:-1}"
read -r -a servers <<<"${BENCH_SERVERS:-ours grpc-swift-2 grpc-c++}"
doc="${BENCH_DOC-$root/docs/benchmarks.md}"

unary_method="/sessiongw.benchmark.v1.Echo/Unary"
stream_method="/sessiongw.benchmark.v1.Echo/ServerStream"
# name -> "connections streams call", from the report script, which titles them.
declare -A loads=()
while read -r name connections streams call; do
  loads[$name]="$connections $streams $call"
done < <(python3 "$lib/transport_report.py" loads)
for load in "${selected_loads[@]}"; do
  [ -n "${loads[$load]:-}" ] || { echo "bench-transport: unknown load '$load' in BENCH_LOADS" >&2; exit 2; }
done

work="$(mktemp -d -t bench-transport.XXXXXX)"
results="$work/results.jsonl"
server_pid=""

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench-transport: %s\n' "$*" >&2; exit 1; }

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

# Keeps the h2load outputs and server logs when the run fails.
cleanup() {
  local status=$?
  stop_server
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    printf 'bench-transport: outputs and server logs kept in %s\n' "$work" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_dependencies() {
  log "installing dependencies (h2load, gRPC C++, grpcio, h2) if missing"
  "$root/scripts/install-deps.sh" bench test
}

build_servers() {
  if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
    log "skipping builds (BENCH_SKIP_BUILD=1)"
    return
  fi
  for server in "${servers[@]}"; do
    case "$server" in
      ours)
        log "building rpc-interop-server (release)"
        (cd "$root" && swift build -c release --product rpc-interop-server) ;;
      grpc-swift-2)
        log "building grpc-swift-echo-server (release; the first build takes several minutes)"
        (cd "$echo_package" && swift build -c release --product grpc-swift-echo-server) ;;
      grpc-c++)
        log "building grpc-cpp-echo-server"
        make -C "$cpp_echo" --no-print-directory ;;
      *) die "unknown server '$server' in BENCH_SERVERS" ;;
    esac
  done
}

server_binary() {
  case "$1" in
    ours) echo "$root/.build/release/rpc-interop-server" ;;
    grpc-swift-2) echo "$echo_package/.build/release/grpc-swift-echo-server" ;;
    grpc-c++) echo "$cpp_echo/.build-cpp/grpc-cpp-echo-server" ;;
  esac
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts a fresh server on a free port; sets server_pid and server_port.
start_server() {
  local server="$1" binary
  binary="$(server_binary "$server")"
  [ -x "$binary" ] || die "$binary does not exist; build it or unset BENCH_SKIP_BUILD"
  server_port="$(free_port)"
  "$binary" --port "$server_port" >>"$work/$server.log" 2>&1 &
  server_pid=$!

  local deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$server_port") 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      server_pid=""
      die "$server exited before listening on port $server_port; its output:
$(tail -n 20 "$work/$server.log")"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "$server did not listen on port $server_port within 30 s"
    sleep 0.1
  done
}

# Fails unless the server answers every kind of call the loads make with grpc-status 0 and
# the expected messages.
check_echo() {
  local check
  for check in "$payload_size" "$large_payload_size" "--stream $stream_messages $stream_payload_size"; do
    # shellcheck disable=SC2086 # the stream check is three words
    python3 "$lib/grpc_echo_check.py" "$server_port" $check >/dev/null \
      || die "$1 does not serve the Echo service correctly (see above)"
  done
}

# utime + stime of the server so far, in seconds.
cpu_seconds() {
  awk -v ticks="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15) / ticks }' "/proc/$server_pid/stat"
}

proc_status_kib() {
  awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"
}

# Resets VmHWM to the current RSS so the next reading is the peak of the next load only.
reset_peak_rss() {
  echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null \
    || log "cannot reset VmHWM; peak RSS covers the whole process lifetime"
}

# h2load_run CALL CONNECTIONS STREAMS OUTPUT [H2LOAD OPTION...]: CALL is unary, large or stream.
h2load_run() {
  local call="$1" connections="$2" streams="$3" output="$4" method="$unary_method"; shift 4
  if [ "$call" = stream ]; then method="$stream_method"; fi
  h2load --threads "$h2load_threads" -c "$connections" -m "$streams" \
    -d "$work/request-$call.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "$@" "http://127.0.0.1:$server_port$method" >"$output" 2>&1 \
    || die "h2load failed; its output:
$(cat "$output")"
}

measure_loads() {
  local server="$1" round="$2" load connections streams call output cpu_before cpu_after
  start_server "$server"
  check_echo "$server"

  for load in "${selected_loads[@]}"; do
    read -r connections streams call <<<"${loads[$load]}"
    output="$work/$server-$load-$round.txt"
    # A separate warm-up run, so the CPU time read around the measured run is its own.
    h2load_run "$call" "$connections" "$streams" "$work/warm-up.txt" -D "$warm_up"
    reset_peak_rss
    cpu_before="$(cpu_seconds)"
    h2load_run "$call" "$connections" "$streams" "$output" -D "$duration" --log-file "$output.log"
    cpu_after="$(cpu_seconds)"
    python3 "$lib/transport_report.py" record "$results" --server "$server" --load "$load" \
      --round "$round" --h2load-output "$output" --h2load-log "$output.log" \
      --cpu-seconds "$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { print b - a }')" \
      --peak-rss-kib "$(proc_status_kib "$server_pid" VmHWM)"
    rm -f "$output.log"
  done
  stop_server
}

measure_idle_connections() {
  local server="$1" round="$2" output="$work/$server-idle-$round.json"
  start_server "$server"
  check_echo "$server"
  python3 "$lib/idle_connections.py" --port "$server_port" --pid "$server_pid" \
    --count "$idle_connections" >"$output" || die "idle connection measurement failed for $server"
  python3 "$lib/transport_report.py" record-idle "$results" --server "$server" \
    --round "$round" --json "$output"
  stop_server
}

# Alternates the server order between rounds so neither always runs first.
servers_for_round() {
  local round="$1"
  if [ $((round % 2)) -eq 1 ]; then
    printf '%s\n' "${servers[@]}"
  else
    printf '%s\n' "${servers[@]}" | tac
  fi
}

write_report() {
  local args=(
    --package-resolved "$echo_package/Package.resolved"
    --duration "$duration" --warm-up "$warm_up" --rounds "$rounds"
    --payload-size "$payload_size" --large-payload-size "$large_payload_size"
    --stream-messages "$stream_messages" --stream-payload-size "$stream_payload_size"
    --elapsed-minutes "$(awk -v s="$((SECONDS - started))" 'BEGIN { print s / 60 }')"
    --idle-connections "$idle_connections"
    --h2load-threads "$h2load_threads" --load-average "$load_average"
  )
  # An empty BENCH_DOC prints the numbers and writes the section to a scratch file only.
  python3 "$lib/transport_report.py" write "$results" --doc "${doc:-$work/benchmarks.md}" "${args[@]}"
}

main() {
  install_dependencies
  build_servers
  # Recorded with the results: this machine is shared, and other work skews the numbers.
  load_average="$(cut -d ' ' -f 1-3 /proc/loadavg)"
  started=$SECONDS
  python3 "$lib/echo_payload.py" "$payload_size" "$work/request-unary.bin"
  python3 "$lib/echo_payload.py" "$large_payload_size" "$work/request-large.bin"
  python3 "$lib/echo_payload.py" --stream "$stream_messages" "$stream_payload_size" "$work/request-stream.bin"
  : >"$results"

  local round server order
  for ((round = 1; round <= rounds; round++)); do
    log "round $round of $rounds"
    mapfile -t order < <(servers_for_round "$round")
    for server in "${order[@]}"; do
      measure_loads "$server" "$round"
      measure_idle_connections "$server" "$round"
    done
  done
  write_report
}

main "$@"
