#!/usr/bin/env bash
# Benchmarks terminals through the gateway and the session agent (a Local session), through
# the agent alone, and on a direct local PTY, in the same run (keystroke-to-echo p50/p99,
# output throughput), and rewrites the terminal section of docs/benchmarks.md. Runs by
# hand (not in CI), in about three minutes plus the build.
#
# Settings (environment):
#   BENCH_KEYSTROKES=2000        keystrokes timed one after another
#   BENCH_MEGABYTES=200          megabytes of output timed, per round
#   BENCH_ROUNDS=3               interleaved throughput rounds (the median is reported)
#   BENCH_SKIP_BUILD=1           use the existing .build/release binaries
#   BENCH_DOC=docs/benchmarks.md where to write the section ("" to print it only)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
doc="${BENCH_DOC-$root/docs/benchmarks.md}"
work="$(mktemp -d -t bench-terminal.XXXXXX)"
trap 'rm -rf "$work"' EXIT

"$root/scripts/install-deps.sh" build test >/dev/null
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  printf '==> swift build -c release --product sessiongw-agent, sessiongw\n' >&2
  swift build --package-path "$root" -c release --product sessiongw-agent >&2
  swift build --package-path "$root" -c release --product sessiongw >&2
fi
python3 "$root/scripts/lib/terminal_bench.py" --bin "$root/.build/release" --work "$work" \
  --keystrokes "${BENCH_KEYSTROKES:-2000}" --megabytes "${BENCH_MEGABYTES:-200}" --rounds "${BENCH_ROUNDS:-3}" ${doc:+--doc "$doc"}
