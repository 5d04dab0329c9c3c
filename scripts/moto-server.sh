#!/usr/bin/env bash
# moto in server mode on loopback, serving Batch, EFS, S3, IAM, CloudWatch Logs and Secrets
# Manager for the AWS Batch backend's tests, with Batch jobs run as local processes
# (scripts/lib/moto_local_jobs.py; EFS file systems are directories under $MOTO_EFS_ROOT;
# job definitions' `secrets` are read from moto's Secrets Manager).
#
# Usage: scripts/moto-server.sh start|stop|status
#   start   starts it unless it already answers (idempotent; safe to call concurrently);
#           prints the endpoint. A server started from another version of
#           scripts/lib/moto_local_jobs.py is refused: stop it first.
#   stop    stops it and every job process it started
#   status  exits 0 and prints the endpoint when it answers, 1 otherwise
# Environment: MOTO_PORT (default 5124), MOTO_STATE_DIR (default /tmp/sessiongw-moto:
# pid-PORT and moto-PORT.log, and the EFS root efs/ unless MOTO_EFS_ROOT says otherwise).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/detached.sh"
port="${MOTO_PORT:-5124}"
state="${MOTO_STATE_DIR:-/tmp/sessiongw-moto}"
export MOTO_EFS_ROOT="${MOTO_EFS_ROOT:-$state/efs}"
endpoint="http://127.0.0.1:$port"
pidfile="$state/pid-$port"
log="$state/moto-$port.log"
mkdir -p "$state"
# The version of the extension: what a running server must answer on /_sessiongw/version.
export SESSIONGW_MOTO_VERSION="$(sha256sum "$here/lib/moto_local_jobs.py" | cut -c1-16)"

# Any HTTP answer will do (moto-api/data.json fails once a job exists: it touches docker).
answers() { curl -s -o /dev/null --max-time 2 "$endpoint/"; }
current() { [ "$(curl -s --max-time 2 "$endpoint/_sessiongw/version")" = "$SESSIONGW_MOTO_VERSION" ]; }

start() {
  exec 9>"$state/lock"
  flock 9
  if answers; then
    if current; then echo "$endpoint"; return 0; fi
    echo "a moto server from another version of moto_local_jobs.py answers on $endpoint: stop it (scripts/moto-server.sh stop, with the same MOTO_PORT) or choose another MOTO_PORT" >&2
    return 1
  fi
  python3 -c 'import moto, flask, flask_cors, botocore' 2>/dev/null \
    || { echo "moto[server] is missing: run scripts/install-deps.sh aws" >&2; return 1; }
  mkdir -p "$MOTO_EFS_ROOT"
  start_detached "$pidfile" "$log" python3 "$here/lib/moto_local_jobs.py" --host 127.0.0.1 --port "$port"
  wait_until_answering "moto on $endpoint" "$pidfile" "$log" answers || return 1
  echo "$endpoint"
}

stop() {
  exec 9>"$state/lock"
  flock 9
  if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    # The server is a session leader: its group holds it and every job it started
    # (jobs are session leaders of their own, found by their parent).
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do kill -TERM -- "-$child" 2>/dev/null || true; done
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
  fi
  echo "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "$endpoint"; else echo "not running" >&2; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
