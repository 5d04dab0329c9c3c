#!/usr/bin/env bash
# Builds and runs the gateway on its embedded default (127.0.0.1:50051), installing
# what the build needs first. Extra arguments go to `sessiongw serve`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh build jupyter
swift build -c release --product sessiongw
exec .build/release/sessiongw serve "$@"
