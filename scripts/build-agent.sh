#!/usr/bin/env bash
# Builds the session agent as one static executable that runs in any Linux image (no
# Swift runtime, no C library, no other file needed): the Swift standard library,
# Foundation, libnghttp2, libprotobuf-c and glibc are linked in, and debug symbols are
# stripped. This is the file a Kubernetes agent image or an AWS Batch image carries
# (Sources/Backends/*/README.md); Local and Slurm run the installation's own build.
#
#   scripts/build-agent.sh [OUTPUT]   # default .build/static-agent/sessiongw-agent
#
# The agent looks nothing up by name (users, groups, hosts): it listens on a numeric
# address and takes the shell from $SHELL, so glibc's static-link caveat about NSS does
# not apply to it. About five minutes on two cores from a cold build folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="${1:-$root/.build/static-agent/sessiongw-agent}"
scratch="$root/.build-static"

swift build --package-path "$root" --scratch-path "$scratch" -c release --product sessiongw-agent \
  --static-swift-stdlib -Xswiftc -static-executable 2>&1 | sed "/statically linked applications requires/d" >&2
mkdir -p "$(dirname "$output")"
strip -o "$output.tmp" "$scratch/release/sessiongw-agent"
mv "$output.tmp" "$output"
if ldd "$output" >/dev/null 2>&1; then
  printf 'build-agent: %s is not static:\n' "$output" >&2
  ldd "$output" >&2
  exit 1
fi
printf '%s\n' "$output"
