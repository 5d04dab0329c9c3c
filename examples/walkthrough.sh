#!/usr/bin/env bash
# The README's five-minute walk-through with the command-line client, as a script the
# tests run. Needs a gateway on its embedded default (scripts/run-gateway.sh) and
# SESSIONGW_TOKEN (and SESSIONGW_ADDRESS if not 127.0.0.1:50051) in the environment.
set -euo pipefail
sessiongw=${SESSIONGW:-sessiongw}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# Two data-links: the `scratch` bucket is on the environment's writable list, `reference` is not.
scratch=$($sessiongw datalink create s3://scratch/walkthrough --name scratch --output json | json '["id"]')
reference=$($sessiongw datalink create s3://reference --name reference --output json | json '["id"]')
$sessiongw preset list

# A session from the sample preset with both links; --wait shows the states until RUNNING.
id=$($sessiongw session create demo --preset notebook --data-link "$scratch" --data-link "$reference" \
  --wait --output json | json '["id"]')
$sessiongw session get "$id"
url=$($sessiongw session connect "$id" --output json | json '["url"]')
base=${url%%\?*}
token=${url#*token=}
put() { curl -s -o /dev/null -w '%{http_code}' -X PUT --data "$2" -H "X-Session-Token: $token" "$base$1"; }
get() { curl -s -H "X-Session-Token: $token" "$base$1"; }

# From inside the session (its IDE writes through the session's own mounts):
test "$(put data/scratch/hello.txt 'hello from the session')" = 201      # writable link
test "$(put data/reference/hello.txt 'refused')" = 403                   # read-only link
test "$(put notes.txt 'kept across pause')" = 201                        # the home volume
echo "wrote to the writable link; the read-only link refused the write"

$sessiongw session pause "$id" --wait
$sessiongw session resume "$id" --wait
url=$($sessiongw session connect "$id" --output json | json '["url"]')
base=${url%%\?*}
test "$(get notes.txt)" = "kept across pause"
echo "files intact after pause and resume"

$sessiongw checkpoint list "$id"
checkpoint=$($sessiongw checkpoint list "$id" --output json | json '["checkpoints"][-1]["id"]')
$sessiongw checkpoint rename "$checkpoint" "first run"
clone=$($sessiongw session clone "$checkpoint" demo-clone --wait --output json | json '["id"]')
$sessiongw session list

$sessiongw session delete "$clone" --force --wait
$sessiongw session delete "$id" --force --wait
$sessiongw datalink delete "$scratch"
$sessiongw datalink delete "$reference"
# What the two sessions held, deleted ones included (without prices: time only).
test "$($sessiongw usage --since 1h --output json | json '["sessions"].__len__()')" = 2
echo "walk-through complete"
