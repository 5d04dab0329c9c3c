#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the Slurm backend's tests and for
# trying the backend by hand. Needs root (it writes /etc/slurm/slurm.conf and starts
# the daemons); installs its packages through scripts/install-deps.sh slurm.
#
# Usage: scripts/slurm-cluster.sh start|stop|status|env|controller-stop|controller-start
#   start             idempotent: starts what is not running, waits until slurmrestd
#                     answers, prints the environment (as `env` does)
#   stop              stops slurmrestd, slurmd, slurmctld and munged (by their pid files)
#   status            exit 0 when every daemon runs and slurmrestd answers
#   env               SLURM_REST_URL=..., SLURM_REST_USER=..., SLURM_REST_TOKEN_FILE=...,
#                     SLURM_SHARED_DIR=... for the backend's configuration
#   controller-stop   stops only slurmctld (fault tests: the controller is down)
#   controller-start  starts slurmctld again
#
# What it sets up (all state under $SLURM_CLUSTER_DIR, default /var/lib/sessiongw-slurm):
#   munged            as user munge, socket in /run/munge
#   slurmctld, slurmd as root (jobs run as the user a token names; root jobs may unshare)
#   slurmrestd        as the unprivileged system user `slurmrest` (it refuses root),
#                     on 127.0.0.1:$SLURM_REST_PORT (default 6820), OpenAPI v0.0.38,
#                     authentication rest_auth/jwt (AuthAltTypes=auth/jwt)
#   a JWT             for user root (`scontrol token`), in $SLURM_CLUSTER_DIR/token (0600)
#   the node          this host, 8 CPUs and 16000 MB advertised (config_overrides), so
#                     several small sessions fit on a 2-core test machine
#   partitions        `interactive` (default) and `tiny` (1 CPU: cannot fit 2-CPU jobs...
#                     until it is free, used to observe queue reasons)
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cluster_dir="${SLURM_CLUSTER_DIR:-/var/lib/sessiongw-slurm}"
rest_port="${SLURM_REST_PORT:-6820}"
rest_user="slurmrest"
conf=/etc/slurm/slurm.conf
marker="# written by sessiongw scripts/slurm-cluster.sh"
node="$(hostname -s)"

log() { echo "slurm-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

running() {  # running PIDFILE
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

stop_pidfile() {  # stop_pidfile PIDFILE NAME
  if running "$1"; then
    local pid; pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped $2 ($pid)"
  fi
  rm -f "$1"
}

write_config() {
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
    die "$conf exists and was not written by this script; refusing to overwrite it"
  fi
  mkdir -p "$cluster_dir"/{ctld,slurmd,log,run,shared} /etc/slurm
  chmod 0755 "$cluster_dir" "$cluster_dir/shared"
  if [ ! -s "$cluster_dir/jwt_hs256.key" ]; then
    (umask 077; head -c 32 /dev/urandom > "$cluster_dir/jwt_hs256.key")
  fi
  cat > "$conf.tmp" <<EOF
$marker
ClusterName=sessiongw
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$cluster_dir/jwt_hs256.key
StateSaveLocation=$cluster_dir/ctld
SlurmdSpoolDir=$cluster_dir/slurmd
SlurmctldPidFile=$cluster_dir/run/slurmctld.pid
SlurmdPidFile=$cluster_dir/run/slurmd.pid
SlurmctldLogFile=$cluster_dir/log/slurmctld.log
SlurmdLogFile=$cluster_dir/log/slurmd.log
SlurmdParameters=config_overrides
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
KillWait=2
MinJobAge=300
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=$node NodeAddr=127.0.0.1 CPUs=8 RealMemory=16000 State=UNKNOWN
PartitionName=interactive Nodes=$node Default=YES MaxTime=INFINITE State=UP
PartitionName=tiny Nodes=$node Default=NO MaxTime=INFINITE MaxCPUsPerNode=1 State=UP
EOF
  mv "$conf.tmp" "$conf"
  chmod 0644 "$conf"
}

start_munge() {
  running /run/munge/munged.pid && return 0
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  [ -s /etc/munge/munge.key ] || { mungekey --create --force; chown munge:munge /etc/munge/munge.key; }
  runuser -u munge -- munged </dev/null >/dev/null 2>&1 9>&-
  for _ in $(seq 1 50); do [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
  log "started munged"
}

start_slurmctld() {
  running "$cluster_dir/run/slurmctld.pid" && return 0
  slurmctld </dev/null >>"$cluster_dir/log/slurmctld.out" 2>&1 9>&-
  for _ in $(seq 1 100); do scontrol ping 2>/dev/null | grep -q "is UP" && break; sleep 0.2; done
  scontrol ping 2>/dev/null | grep -q "is UP" || die "slurmctld did not come up; see $cluster_dir/log/slurmctld.log"
  log "started slurmctld"
}

start_slurmd() {
  running "$cluster_dir/run/slurmd.pid" && return 0
  slurmd </dev/null >>"$cluster_dir/log/slurmd.out" 2>&1 9>&-
  log "started slurmd"
}

wait_node_ready() {
  local state=""
  for _ in $(seq 1 150); do
    state="$(sinfo -h -n "$node" -o %t 2>/dev/null | head -n1)"
    case "$state" in idle*|mix*|alloc*) return 0 ;; down*|drain*) scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true ;; esac
    sleep 0.2
  done
  die "node $node is '$state', not idle; see $cluster_dir/log/slurmd.log"
}

start_slurmrestd() {
  id -u "$rest_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$rest_user"
  if ! running "$cluster_dir/run/slurmrestd.pid"; then
    : > "$cluster_dir/log/slurmrestd.log"
    chown "$rest_user" "$cluster_dir/log/slurmrestd.log"
    # slurmrestd refuses root; SLURM_JWT=daemon makes it accept per-request tokens.
    setsid runuser -u "$rest_user" -- env SLURM_JWT=daemon SLURM_CONF="$conf" \
      slurmrestd -a rest_auth/jwt -s openapi/v0.0.38 "127.0.0.1:$rest_port" \
      >>"$cluster_dir/log/slurmrestd.log" 2>&1 < /dev/null 9>&- &
    echo $! > "$cluster_dir/run/slurmrestd.pid"
    log "started slurmrestd as $rest_user on 127.0.0.1:$rest_port"
  fi
  token_refresh
  # A loaded machine can take a while to start it.
  for _ in $(seq 1 300); do rest_ping && return 0; sleep 0.1; done
  die "slurmrestd does not answer on 127.0.0.1:$rest_port; see $cluster_dir/log/slurmrestd.log"
}

token_refresh() {
  # A day-long token for root; refreshed on every start.
  local token
  token="$(scontrol token username=root lifespan=86400 | sed -n 's/^SLURM_JWT=//p')"
  [ -n "$token" ] || die "scontrol token gave no token"
  (umask 077; printf '%s\n' "$token" > "$cluster_dir/token.tmp"; mv "$cluster_dir/token.tmp" "$cluster_dir/token")
}

rest_ping() {
  [ -s "$cluster_dir/token" ] || return 1
  # The token goes to curl on its standard input, not its command line (visible in ps).
  printf 'X-SLURM-USER-NAME: root\nX-SLURM-USER-TOKEN: %s\n' "$(cat "$cluster_dir/token")" \
    | curl -sf -m 3 -H @- "http://127.0.0.1:$rest_port/slurm/v0.0.38/ping" 2>/dev/null | grep -q '"UP"'
}

print_env() {
  echo "SLURM_REST_URL=http://127.0.0.1:$rest_port"
  echo "SLURM_REST_USER=root"
  echo "SLURM_REST_TOKEN_FILE=$cluster_dir/token"
  echo "SLURM_SHARED_DIR=$cluster_dir/shared"
  echo "SLURM_NODE=$node"
}

# The daemons outlive this script, so they must hold none of the caller's descriptors:
# a caller reading this script's output through a pipe (as the tests do) would wait for
# them forever. Everything but standard input, output and error is closed first.
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  case "$fd" in 0 | 1 | 2 | 255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
done

case "${1:-}" in
  start)
    [ "$(id -u)" -eq 0 ] || die "run as root: it writes $conf and starts the Slurm daemons"
    # Held across the whole start, so concurrent test processes start the cluster once;
    # the daemons do not inherit it (9>&-).
    exec 9>"/run/sessiongw-slurm-cluster.lock"
    flock 9
    "$root_dir/scripts/install-deps.sh" slurm >&2
    write_config
    start_munge
    start_slurmctld
    start_slurmd
    wait_node_ready
    start_slurmrestd
    print_env
    ;;
  stop)
    stop_pidfile "$cluster_dir/run/slurmrestd.pid" slurmrestd
    if command -v scancel >/dev/null && running "$cluster_dir/run/slurmctld.pid"; then
      scancel --user=root --full >/dev/null 2>&1 || true
    fi
    stop_pidfile "$cluster_dir/run/slurmd.pid" slurmd
    stop_pidfile "$cluster_dir/run/slurmctld.pid" slurmctld
    stop_pidfile /run/munge/munged.pid munged
    ;;
  status)
    ok=0
    for daemon in slurmctld slurmd slurmrestd; do
      if running "$cluster_dir/run/$daemon.pid"; then echo "$daemon: running"; else echo "$daemon: stopped"; ok=1; fi
    done
    if running /run/munge/munged.pid; then echo "munged: running"; else echo "munged: stopped"; ok=1; fi
    if rest_ping; then echo "slurmrestd: answers"; else echo "slurmrestd: does not answer"; ok=1; fi
    exit "$ok"
    ;;
  env) print_env ;;
  controller-stop) stop_pidfile "$cluster_dir/run/slurmctld.pid" slurmctld ;;
  controller-start) start_slurmctld ;;
  *) echo "usage: $0 start|stop|status|env|controller-stop|controller-start" >&2; exit 2 ;;
esac
