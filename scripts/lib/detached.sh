# Starting a test server that outlives the script that starts it; sourced by
# scripts/moto-server.sh and scripts/kube-api-server.sh.

# start_detached PIDFILE LOG COMMAND...
# Runs COMMAND in a session of its own with its output in LOG and its process id in
# PIDFILE. It holds none of the caller's descriptors: a caller reading the starting
# script's output through a pipe would otherwise wait for the server forever.
start_detached() {
  local pidfile=$1 log=$2
  shift 2
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec setsid "$@" >"$log" 2>&1 </dev/null
  ) &
  echo $! >"$pidfile"
}

# wait_until_answering NAME PIDFILE LOG CHECK
# Waits up to 30 s for the function CHECK to succeed while the server lives; when it
# does not, prints the end of LOG and fails.
wait_until_answering() {
  local name=$1 pidfile=$2 log=$3 check=$4
  for _ in $(seq 1 150); do
    "$check" && return 0
    kill -0 "$(cat "$pidfile")" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name did not start; its output ($log) ends with:" >&2
  tail -n 20 "$log" >&2 || true
  return 1
}
