#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for SECONDS,
# then records the outcome in docs/fuzzing.md. Run by hand; a finding is written to
# fuzz-artifacts/ and fails the script.
# Usage: scripts/fuzz.sh [SECONDS]   (default 600)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-600}
targets=(FuzzHTTP2Server FuzzMessageDecoder)

scripts/install-deps.sh build
swift build --package-path FuzzTesting --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
bin=$(swift build --package-path FuzzTesting --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address --show-bin-path)

mkdir -p fuzz-artifacts
status=0
rows=()
for target in "${targets[@]}"; do
  corpus=$(mktemp -d)
  log=fuzz-artifacts/$target.log
  echo "fuzzing $target for ${seconds}s"
  if "$bin/$target" -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="fuzz-artifacts/$target-" "$corpus" >"$log" 2>&1; then
    result="no crash, leak or sanitizer report"
  else
    result="FINDING: see fuzz-artifacts/$target-*"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  rows+=("| \`$target\` | ${seconds} s | $runs | $coverage | $(ls "$corpus" | wc -l) | $result |")
  rm -rf "$corpus"
done

{
  echo "# Fuzzing"
  echo
  echo "Written by \`scripts/fuzz.sh $seconds\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(swift --version 2>&1 | head -1))."
  echo "Both targets are built with \`-sanitize=fuzzer,address\`, so a leak, an out-of-bounds access or"
  echo "a use-after-free counts as a finding, not only a crash."
  echo
  echo "- \`FuzzHTTP2Server\`: arbitrary bytes after the client preface, fed to a server connection"
  echo "  (nghttp2 session, header validation, routing, gRPC deframing, trailers-only answers)."
  echo "- \`FuzzMessageDecoder\`: arbitrary bytes through the gRPC message deframer and libprotobuf-c"
  echo "  decoding of several request types, checking that decoded messages re-encode to equal values."
  echo
  echo "| target | time | executions | coverage (edges) | corpus entries | result |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} > docs/fuzzing.md
cat docs/fuzzing.md
exit $status
