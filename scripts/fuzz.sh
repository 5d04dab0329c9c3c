#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for SECONDS,
# then records the outcome in docs/fuzzing.md. Run by hand; a finding is written to
# the artifacts directory (fuzz-artifacts/) and fails the script.
# Usage: scripts/fuzz.sh [SECONDS]   (default 600)
#
# A target with a seed corpus in FuzzTesting/Corpus/TARGET/ (FuzzHTTP2Server: frames
# recorded from real clients by scripts/record-fuzz-corpus.sh) starts from a copy of it.
# Settings (environment), for comparing coverage:
#   FUZZ_TARGETS="FuzzHTTP2Server FuzzMessageDecoder"   which targets to run
#   FUZZ_NO_SEEDS=1                start from an empty corpus
#   FUZZ_HTTP2_PLAIN_MUTATOR=1     FuzzHTTP2Server without its structure-aware mutator
#   FUZZ_ARTIFACTS=fuzz-artifacts  where logs and findings go
#   FUZZ_DOC=docs/fuzzing.md       where to record the run ("" to skip)
#   FUZZ_SKIP_BUILD=1              use the existing build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-600}
read -r -a targets <<<"${FUZZ_TARGETS:-FuzzHTTP2Server FuzzMessageDecoder}"
artifacts=${FUZZ_ARTIFACTS:-fuzz-artifacts}
doc=${FUZZ_DOC-docs/fuzzing.md}
build=(swift build --package-path FuzzTesting --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address)

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps.sh build
  "${build[@]}"
fi
bin=$("${build[@]}" --show-bin-path)

mkdir -p "$artifacts"
status=0
rows=()
for target in "${targets[@]}"; do
  corpus=$(mktemp -d)
  seeds=0
  if [ "${FUZZ_NO_SEEDS:-0}" != 1 ] && [ -d "FuzzTesting/Corpus/$target" ]; then
    cp FuzzTesting/Corpus/"$target"/* "$corpus"/
    seeds=$(ls "$corpus" | wc -l)
  fi
  log=$artifacts/$target.log
  echo "fuzzing $target for ${seconds}s from $seeds seed(s)"
  if "$bin/$target" -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$corpus" >"$log" 2>&1; then
    result="no crash, leak or sanitizer report"
  else
    result="FINDING: see $artifacts/$target-*"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  initial=$(grep -o 'INITED cov: [0-9]*' "$log" | grep -o '[0-9]*' || echo "?")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  mutator="libFuzzer's"
  if [ "$target" = FuzzHTTP2Server ] && [ "${FUZZ_HTTP2_PLAIN_MUTATOR:-0}" != 1 ]; then
    mutator="frame-aware"
  fi
  rows+=("| \`$target\` | ${seconds} s | $seeds | $mutator | $runs | $initial | $coverage | $(ls "$corpus" | wc -l) | $result |")
  echo "${rows[-1]}"
  rm -rf "$corpus"
done

if [ -n "$doc" ]; then
  {
    echo "<!-- fuzz-run:begin -->"
    echo "## The last run"
    echo
    echo "Written by \`scripts/fuzz.sh $seconds\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(swift --version 2>&1 | head -1))."
    echo "Coverage is libFuzzer's \`cov:\` (edges): after loading the seeds (\`INITED\`) and at the end."
    echo
    echo "| target | time | seeds | mutator | executions | coverage at start | coverage at end | corpus entries | result |"
    echo "|---|---|---:|---|---:|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
    echo "<!-- fuzz-run:end -->"
  } >"$artifacts/section.md"
  python3 - "$doc" "$artifacts/section.md" <<'PY'
import sys
sys.path.insert(0, "scripts/lib")
from report_doc import replace_section
doc, section = sys.argv[1], sys.argv[2]
with open(section) as f:
    replace_section(doc, f.read(), "<!-- fuzz-run:begin -->", "<!-- fuzz-run:end -->")
PY
  echo "recorded the run in $doc"
fi
exit $status
