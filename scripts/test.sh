#!/usr/bin/env bash
# The project's single test command. It installs what is missing, checks that the
# committed generated code is current, builds and runs the Swift tests, builds the
# transport's tests again under AddressSanitizer, and runs the conformance kit and the
# Python suites that drive the binaries with real peers (grpcio, grpc-go, h2).
# Arguments are passed on to pytest, e.g. `scripts/test.sh -k tls -x`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

python_suites=(Tests/interop Tests/gateway Tests/kubeapi)

run() {
  printf '\n==> %s\n' "$*" >&2
  "$@"
}

run scripts/install-deps.sh build test aws slurm kube jupyter
run scripts/check-generated.sh
run swift build
# Test gateways log at debug level into reports/logs and every RPC answer the Python
# suites receive is kept there, so the run's output can be searched for the test
# secrets' values at the end (scripts/check-secrets.sh).
rm -rf reports/logs
mkdir -p reports/logs
SESSIONGW_TEST_LOG_DIR=$root/reports/logs
export SESSIONGW_TEST_LOG_DIR
# The AddressSanitizer build of the tests, in a build folder of its own, is compiled in
# the background at the lowest CPU and I/O priority while the Swift tests run (most of
# their time is spent waiting on the Slurm cluster, moto and the gateway), but only once
# the Kubernetes suites are over, so that the suites leaning hardest on timing (the API
# emulator's pods, watches and exec streams) run on a quiet machine. If the Swift tests
# end first, it simply builds then. The static agent (scripts/build-agent.sh), which a
# Python suite runs in an empty image, is built the same way after it.
asan_flags=(--scratch-path .build-asan -Xswiftc -sanitize=address)
SESSIONGW_STATIC_AGENT=$root/.build/static-agent/sessiongw-agent
export SESSIONGW_STATIC_AGENT
rm -f reports/swift-tests.log
(
  until grep -qE 'Suite "Kubernetes backend on the API emulator" (passed|failed)|Test run with' reports/swift-tests.log 2>/dev/null; do
    sleep 5
  done
  nice -n 19 ionice -c 3 swift build --build-tests "${asan_flags[@]}"
  exec nice -n 19 ionice -c 3 scripts/build-agent.sh "$SESSIONGW_STATIC_AGENT"
) >reports/asan-build.log 2>&1 &
asan_build=$!
printf '\n==> swift build --build-tests %s, then scripts/build-agent.sh (in the background once the Kubernetes suites are over; reports/asan-build.log)\n' \
  "${asan_flags[*]}" >&2
# One test at a time: many tests start real sessions, servers and clients, and on a
# two-core machine running them all at once makes their timeouts, not their
# assertions, decide the outcome.
if ! run swift test --no-parallel 2>&1 | tee reports/swift-tests.log; then
  printf '\n==> failing Swift tests (whole output: reports/swift-tests.log)\n' >&2
  grep -E '^✘ Test .*(recorded an issue|failed after)' reports/swift-tests.log | head -n 40 >&2 || true
  kill "$asan_build" 2>/dev/null || true
  exit 1
fi
if ! wait "$asan_build"; then
  tail -n 40 reports/asan-build.log >&2
  exit 1
fi
# The transport's tests again under AddressSanitizer.
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$root/Tests/lsan-suppressions.txt \
  run swift test --skip-build "${asan_flags[@]}" --filter RPCTransportTests
# The binaries the conformance kit and the Python suites drive: the debug build's. Speed is
# measured by the benchmarks (scripts/bench*.sh) on a release build, not here.
SESSIONGW_BIN_DIR=$(swift build --show-bin-path)
export SESSIONGW_BIN_DIR
# The conformance kit as plugin authors run it: `sessiongw conformance` against the Local
# backend in process and behind `sessiongw provider serve` (reports/conformance-local*.xml).
run scripts/conformance-local.sh "$SESSIONGW_BIN_DIR"

pytest_args=(-q -p no:cacheprovider)
if [ "${CI:-}" = "true" ]; then
  pytest_args+=(-rfEs --junitxml=reports/python-suites.xml)
fi
run python3 -m pytest "${pytest_args[@]}" "${python_suites[@]}" "$@" 2>&1 | tee reports/python-tests.log
run scripts/check-secrets.sh --self-test

printf '\nall tests passed\n' >&2
