#!/usr/bin/env bash
# The Kubernetes API emulator (scripts/lib/kube_api, test-support code) on loopback over
# HTTPS, for the Kubernetes backend's tests.
#
# Usage: scripts/kube-api-server.sh start|stop|status
#   start   starts it unless it already answers (idempotent; safe to call concurrently),
#           waits until it answers and prints the path of its kubeconfig
#   stop    stops it and every container process it started
#   status  exits 0 and prints the kubeconfig path when it answers, 1 otherwise
# Environment: KUBE_API_PORT (default 6443), KUBE_API_STATE (default /tmp/sessiongw-kube:
# pki/ (a CA, the server's and cert-user's certificates, made once with openssl), token,
# kubeconfig, server.log (one line per request), s3/ (Mountpoint for S3 buckets),
# runtime/, and volumes/, snapshots/, pods/, which each start clears: objects live in memory).
# The server also reads KUBE_API_K8S_VERSION (schemas; default the newest bundled),
# KUBE_API_BOOKMARK_SECONDS (default 2), KUBE_API_NODE_GPUS (default 0),
# KUBE_API_NODE_LABELS (k=v,k=v), KUBE_API_NODE_TAINTS (k=v:NoSchedule,...) and
# KUBE_API_MISSING_IMAGES (a regex of images that fail to pull).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/detached.sh"
port="${KUBE_API_PORT:-6443}"
state="${KUBE_API_STATE:-/tmp/sessiongw-kube}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"
pki="$state/pki"
pidfile="$state/pid"
log="$state/stdout.log"
kubeconfig="$state/kubeconfig"

answers() {
  [ -f "$pki/ca.crt" ] || return 1
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$pki/ca.crt" "https://127.0.0.1:$port/version" || true)
  [ -n "$code" ] && [ "$code" != "000" ]
}

make_pki() {
  [ -f "$pki/client.crt" ] && return 0
  mkdir -p "$pki"
  local tmp
  tmp=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=kube-api-emulator-ca" \
    -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >"$tmp/server.ext"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$tmp/server.key" -out "$tmp/server.csr" 2>/dev/null
  openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tmp/server.ext" -out "$tmp/server.crt" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$tmp/client.ext"
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=cert-user" -keyout "$tmp/client.key" -out "$tmp/client.csr" 2>/dev/null
  openssl x509 -req -in "$tmp/client.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tmp/client.ext" -out "$tmp/client.crt" 2>/dev/null
  chmod 600 "$tmp"/*.key
  mv "$tmp"/ca.crt "$tmp"/ca.key "$tmp"/server.crt "$tmp"/server.key "$tmp"/client.key "$pki/"
  mv "$tmp"/client.crt "$pki/"  # last: its presence marks a complete pki
  rm -rf "$tmp"
}

write_kubeconfig() {
  [ -f "$state/token" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/token")
  local b64="base64 -w0"
  (umask 077; cat >"$kubeconfig.tmp" <<KC
apiVersion: v1
kind: Config
clusters:
- name: emulator
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $($b64 "$pki/ca.crt")
users:
- name: token-user
  user:
    token: $(cat "$state/token")
- name: cert-user
  user:
    client-certificate-data: $($b64 "$pki/client.crt")
    client-key-data: $($b64 "$pki/client.key")
contexts:
- name: token
  context:
    cluster: emulator
    user: token-user
    namespace: default
- name: cert
  context:
    cluster: emulator
    user: cert-user
    namespace: default
current-context: token
KC
  )
  mv "$kubeconfig.tmp" "$kubeconfig"
}

start() {
  exec 9>"$state/lock"
  flock 9
  if answers; then echo "$kubeconfig"; return 0; fi
  python3 -c 'import kubernetes_validate, jsonschema, yaml' 2>/dev/null \
    || { echo "kubernetes-validate, jsonschema or PyYAML is missing: run scripts/install-deps.sh kube" >&2; return 1; }
  make_pki
  write_kubeconfig
  start_detached "$pidfile" "$log" python3 "$here/lib/kube_api/server.py" --host 127.0.0.1 --port "$port" --state "$state"
  wait_until_answering "the Kubernetes API emulator on port $port" "$pidfile" "$log" answers || return 1
  echo "$kubeconfig"
}

stop() {
  exec 9>"$state/lock"
  flock 9
  if [ -f "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    # SIGTERM lets the server stop every container (they run in sessions of their own);
    # then the server's process group goes.
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
  fi
  echo "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "$kubeconfig"; else echo "not running" >&2; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
