#!/usr/bin/env bash
# Fails when the committed Sources/CProtos is not what scripts/generate-protos.sh makes
# from the current proto/ files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$root/scripts/generate-protos.sh" "$fresh/CProtos" >/dev/null
if ! diff -r "$root/Sources/CProtos" "$fresh/CProtos" >"$fresh/diff.txt"; then
  echo "Sources/CProtos is stale: run scripts/generate-protos.sh and commit the result." >&2
  head -40 "$fresh/diff.txt" >&2
  exit 1
fi
echo "generated code is current"
