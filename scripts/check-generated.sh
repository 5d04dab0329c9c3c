#!/usr/bin/env bash
# Fails when any committed generated code (Sources/CGRPCProtos, Sources/CProtos,
# Sources/CProtocPlugin, Sources/SessionAPI/Generated) is not what
# scripts/generate-protos.sh makes from the current proto/ files and generator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/generate-protos.sh" "$fresh" >/dev/null
stale=0
for module in CGRPCProtos CProtos CProtocPlugin SessionAPI/Generated RPCTransport/Services/Generated RPCInterop/Generated; do
  if ! diff -r "$root/Sources/$module" "$fresh/$module" >"$fresh/diff.txt"; then
    echo "Sources/$module is stale: run scripts/generate-protos.sh and commit the result." >&2
    head -40 "$fresh/diff.txt" >&2
    stale=1
  fi
done
if ! diff -r "$root/Tests/GeneratedBindingsTests/Generated" "$fresh/GeneratedBindingsTests/Generated" >"$fresh/diff.txt"; then
  echo "Tests/GeneratedBindingsTests/Generated is stale: run scripts/generate-protos.sh and commit the result." >&2
  head -40 "$fresh/diff.txt" >&2
  stale=1
fi
[ "$stale" = 0 ] || exit 1
echo "generated code is current"
