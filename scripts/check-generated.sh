#!/usr/bin/env bash
# Fails when any committed generated code (the C targets, the Swift bindings under
# Sources/*/Generated and Tests/GeneratedBindingsTests/Generated) is not what
# scripts/generate-protos.sh makes from the current proto/ files and generator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/generate-protos.sh" "$fresh" >/dev/null
stale=0
for directory in Sources/CGRPCProtos Sources/CProtos Sources/CProtocPlugin Sources/SessionAPI/Generated \
  Sources/RPCTransport/Services/Generated Sources/RPCInterop/Generated Tests/GeneratedBindingsTests/Generated; do
  if ! diff -r "$root/$directory" "$fresh/$directory" >"$fresh/diff.txt"; then
    echo "$directory is stale: run scripts/generate-protos.sh and commit the result." >&2
    head -40 "$fresh/diff.txt" >&2
    stale=1
  fi
done
[ "$stale" = 0 ] || exit 1
echo "generated code is current"
