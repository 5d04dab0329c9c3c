#!/usr/bin/env bash
# Profiles our gRPC server (rpc-interop-server) under valgrind's callgrind while h2load
# makes a fixed number of unary /sessiongw.benchmark.v1.Echo/Unary calls, and writes the
# top functions by inclusive and by self instruction count into docs/benchmarks.md.
# Instruction counts do not depend on what else the machine is doing, so two runs of the
# same build give nearly the same numbers. Run by hand; it takes several minutes.
#
# Usage: scripts/profile-transport.sh
# Settings (environment):
#   PROFILE_CALLS=20000        calls per load (h2load -n), after 1,000 warm-up calls
#   PROFILE_LOADS="1x1 8x16"   loads as CONNECTIONSxSTREAMS
#   PROFILE_TOP=15             functions per table
#   PROFILE_LABEL=before       names the section: "Profile (LABEL)", so that a profile
#                              taken after a change sits beside the one taken before it
#   PROFILE_PAYLOAD_SIZE=64    bytes in EchoMessage.payload
#   PROFILE_SKIP_BUILD=1       use the existing release binary
#   PROFILE_DOC=docs/benchmarks.md   where to write ("" to print only)
#   PROFILE_KEEP=DIR           also keep the callgrind output files in DIR
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lib="$root/scripts/lib"
calls="${PROFILE_CALLS:-20000}"
read -r -a loads <<<"${PROFILE_LOADS:-1x1 8x16}"
top="${PROFILE_TOP:-15}"
label="${PROFILE_LABEL:-before}"
payload_size="${PROFILE_PAYLOAD_SIZE:-64}"
doc="${PROFILE_DOC-$root/docs/benchmarks.md}"
method="/sessiongw.benchmark.v1.Echo/Unary"
binary="$root/.build/release/rpc-interop-server"

work="$(mktemp -d -t profile-transport.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'profile-transport: %s\n' "$*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

h2load_calls() {
  local connections="$1" streams="$2" count="$3" output="$4"
  h2load --threads 1 -c "$connections" -m "$streams" -n "$count" -d "$work/request.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$port$method" >"$output" 2>&1 || die "h2load failed: $(cat "$output")"
  grep -q "^requests: $count total, $count started, $count done, $count succeeded" "$output" \
    || die "not every call succeeded: $(grep '^requests:' "$output")"
}

# profile LOAD: one server under callgrind with instrumentation off until the warm-up calls
# are done, and off again before the server is stopped, so that neither start-up nor
# shutdown is in the profile. The profile is written when the server exits, when no
# function is still running (a dump taken while the event loops run mixes their
# inclusive cost into their self cost).
profile() {
  local load="$1" connections streams
  IFS=x read -r connections streams <<<"$load"
  port="$(free_port)"
  LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$work/$load.callgrind" \
    "$work/rpc-interop-server" --port "$port" >"$work/$load.server.log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 120))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || die "the server exited: $(tail -n 20 "$work/$load.server.log")"
    [ "$SECONDS" -lt "$deadline" ] || die "the server did not listen within 120 s"
    sleep 0.5
  done
  log "$load: 1000 warm-up calls, then $calls calls under callgrind"
  h2load_calls "$connections" "$streams" 1000 "$work/$load.warm-up.txt"
  callgrind_control --instr=on "$server_pid" >/dev/null
  h2load_calls "$connections" "$streams" "$calls" "$work/$load.h2load.txt"
  callgrind_control --instr=off "$server_pid" >/dev/null
  kill -TERM "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  [ -s "$work/$load.callgrind" ] || die "callgrind wrote no profile for $load: $(tail -n 20 "$work/$load.server.log")"
  callgrind_annotate --inclusive=yes "$work/$load.callgrind" >"$work/$load.inclusive.txt"
  callgrind_annotate --inclusive=no "$work/$load.callgrind" >"$work/$load.self.txt"
  if [ -n "${PROFILE_KEEP:-}" ]; then mkdir -p "$PROFILE_KEEP"; cp "$work/$load.callgrind" "$PROFILE_KEEP/$load.callgrind"; fi
}

main() {
  "$root/scripts/install-deps.sh" bench
  if [ "${PROFILE_SKIP_BUILD:-0}" != 1 ]; then
    log "building rpc-interop-server (release)"
    (cd "$root" && swift build -c release --product rpc-interop-server)
  fi
  [ -x "$binary" ] || die "$binary does not exist"
  # A copy without DWARF: this valgrind cannot read the DWARF 5 Swift emits, and the symbol
  # table is all the function names need.
  objcopy --strip-debug "$binary" "$work/rpc-interop-server"
  # valgrind 3.19 writes into the signal mask sigsuspend is given, and libdispatch's main
  # thread passes a read-only one: valgrind dies with SIGSEGV. This sigsuspend passes a copy.
  cat >"$work/sigsuspend.c" <<'C'
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int sigsuspend(const sigset_t *mask) {
  sigset_t copy = *mask;
  return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
C
  cc -shared -fPIC -O2 -o "$work/sigsuspend.so" "$work/sigsuspend.c"
  python3 "$lib/echo_payload.py" "$payload_size" "$work/request.bin"
  local load args=()
  for load in "${loads[@]}"; do
    [[ "$load" =~ ^[0-9]+x[0-9]+$ ]] || die "load '$load' is not CONNECTIONSxSTREAMS"
    profile "$load"
    args+=(--load "$load" "$work/$load.inclusive.txt" "$work/$load.self.txt")
  done
  local command="scripts/profile-transport.sh"
  [ "$calls" = 20000 ] || command="PROFILE_CALLS=$calls $command"
  [ "${loads[*]}" = "1x1 8x16" ] || command="PROFILE_LOADS=\"${loads[*]}\" $command"
  [ "$label" = before ] || command="PROFILE_LABEL=$label $command"
  python3 "$lib/profile_report.py" --label "$label" --calls "$calls" --top "$top" \
    --payload-size "$payload_size" --command "$command" --doc "${doc:-$work/benchmarks.md}" "${args[@]}"
}

main "$@"
