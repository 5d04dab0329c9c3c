#!/usr/bin/env bash
# Records the seed corpus of the FuzzHTTP2Server fuzz target from real HTTP/2 clients:
# the Python grpcio interop client, the grpc-go interop client (Tests/interop/go) and
# h2load, each talking to rpc-interop-server through scripts/lib/recording_proxy.py, which
# writes what the client sent on each connection (less the preface, at most 8 KiB of whole
# frames) as one corpus file. Run by hand; the corpus is committed.
#
# Usage: scripts/record-fuzz-corpus.sh [OUTPUT_DIR]
#   default OUTPUT_DIR: FuzzTesting/Corpus/FuzzHTTP2Server (its files are replaced)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/FuzzTesting/Corpus/FuzzHTTP2Server"}
interop="$root/Tests/interop"

"$root/scripts/install-deps.sh" bench test
swift build --package-path "$root" -c release --product rpc-interop-server
server_bin="$root/.build/release/rpc-interop-server"

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for_port() {
  local deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "nothing listens on port $1" >&2; exit 1; }
    sleep 0.1
  done
}

server_port=$(free_port)
proxy_port=$(free_port)
"$server_bin" --port "$server_port" >"$work/server.log" 2>&1 &
pids+=($!)
python3 "$root/scripts/lib/recording_proxy.py" --listen-port "$proxy_port" \
  --upstream-port "$server_port" --out "$work/corpus" --prefix-file "$work/prefix" >"$work/proxy.log" 2>&1 &
pids+=($!)
wait_for_port "$server_port"
wait_for_port "$proxy_port"

# Each case runs in its own process, so each is one connection and one corpus file.
echo "recording the grpcio interop client"
mapfile -t cases < <(python3 -c "import sys; sys.path.insert(0, '$interop'); import interop_cases; print('\n'.join(interop_cases.CASES))")
for case in "${cases[@]}"; do
  echo "grpcio-$case" >"$work/prefix"
  python3 "$interop/interop_client.py" --server-port "$proxy_port" --test-case "$case" >/dev/null 2>&1 \
    || echo "  grpcio $case failed (recorded anyway)"
done

echo "recording the grpc-go interop client"
go_client=$(cd "$interop" && python3 -c 'import go_peer; print(go_peer.build().client)')
mapfile -t go_cases < <(grep -o '{"[a-z_]*"' "$interop/go/interop-client/cases.go" | tr -d '{"')
for case in "${go_cases[@]}"; do
  echo "grpcgo-$case" >"$work/prefix"
  "$go_client" --server-port "$proxy_port" --test-case "$case" >/dev/null 2>&1 \
    || echo "  grpc-go $case failed (recorded anyway)"
done

echo "recording h2load"
python3 "$root/scripts/lib/echo_payload.py" 64 "$work/echo.bin"
printf '\x00\x00\x00\x00\x00' >"$work/empty.bin"
# SimpleRequest { response_size: 64, payload { body: 16 bytes } }
printf '\x00\x00\x00\x00\x18\x10\x40\x22\x12\x12\x10ABCDEFGHIJKLMNOP' >"$work/simple.bin"
h2load_record() {
  local name=$1 body=$2 path=$3; shift 3
  echo "h2load-$name" >"$work/prefix"
  h2load -d "$body" -H 'content-type: application/grpc' -H 'te: trailers' "$@" \
    "http://127.0.0.1:$proxy_port$path" >/dev/null
}
h2load_record unary "$work/simple.bin" /grpc.testing.TestService/UnaryCall -n 3 -c 1 -m 1
h2load_record unary-concurrent "$work/simple.bin" /grpc.testing.TestService/UnaryCall -n 6 -c 1 -m 3
h2load_record empty "$work/empty.bin" /grpc.testing.TestService/EmptyCall -n 2 -c 1 -m 1
h2load_record health "$work/empty.bin" /grpc.health.v1.Health/Check -n 2 -c 1 -m 2
h2load_record echo "$work/echo.bin" /sessiongw.benchmark.v1.Echo/Unary -n 2 -c 1 -m 1
h2load_record small-window "$work/simple.bin" /grpc.testing.TestService/UnaryCall -n 2 -c 1 -m 1 -w 10 -W 16

sleep 1  # the proxy writes a file when its connection has closed both ways
rm -rf "$out"
mkdir -p "$out"
cp "$work/corpus"/*.bin "$out/"
echo "wrote $(ls "$out" | wc -l) corpus files ($(du -sh "$out" | cut -f1)) to ${out#"$root/"}"
