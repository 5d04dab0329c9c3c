#!/usr/bin/env bash
# Searches a test run's output for the test secrets' values (Tests/test-secrets.txt) and
# for any session agent token (sga- and 64 hex digits, derived by each test gateway):
# every file under the given folders (default: reports/, where scripts/test.sh keeps the
# Swift test log, the gateways' debug logs and every recorded RPC answer). Prints only
# where a value was found and which line of the list it is, never the value itself.
# Usage: scripts/check-secrets.sh [--self-test] [FOLDER...]
#   --self-test  first shows that a planted value is found (so the check can fail)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
list="$root/Tests/test-secrets.txt"

values=()
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] || values+=("$line")
done <"$list"
[ ${#values[@]} -gt 0 ] || { echo "check-secrets: no values in $list" >&2; exit 2; }

# A value no test uses any more would make the check pass for nothing.
for index in "${!values[@]}"; do
  if ! grep -rqF --include='*.swift' --include='*.py' -- "${values[$index]}" "$root/Tests"; then
    echo "check-secrets: value $((index + 1)) of Tests/test-secrets.txt is used by no test: remove it" >&2
    exit 2
  fi
done

# Lists the files under the folders that contain any value; exit 1 when there is one.
search() {
  local found=0 index
  for index in "${!values[@]}"; do
    while IFS= read -r file; do
      echo "check-secrets: secret value $((index + 1)) of Tests/test-secrets.txt appears in ${file#"$root"/}" >&2
      found=1
    done < <(grep -rlaF -- "${values[$index]}" "$@" 2>/dev/null || true)
  done
  while IFS= read -r file; do
    echo "check-secrets: a session agent token appears in ${file#"$root"/}" >&2
    found=1
  done < <(grep -rlaE -- 'sga-[0-9a-f]{64}' "$@" 2>/dev/null || true)
  return $found
}

if [ "${1:-}" = "--self-test" ]; then
  shift
  planted=$(mktemp -d)
  trap 'rm -rf "$planted"' EXIT
  printf 'log line with %s inside\n' "${values[-1]}" >"$planted/planted.log"
  if search "$planted" 2>/dev/null; then
    echo "check-secrets: self-test failed: a planted value was not found" >&2
    exit 2
  fi
  printf 'authorization: Bearer sga-%s\n' "$(printf '0123456789abcdef%.0s' 1 2 3 4)" >"$planted/planted.log"
  if search "$planted" 2>/dev/null; then
    echo "check-secrets: self-test failed: a planted agent token was not found" >&2
    exit 2
  fi
fi

folders=("${@:-$root/reports}")
if ! search "${folders[@]}"; then
  echo "check-secrets: secret values leaked into the test run's output (see above)" >&2
  exit 1
fi
echo "check-secrets: none of ${#values[@]} test secret values appears in ${folders[*]#"$root"/}" >&2
