#!/bin/sh
# The attack corpus in full: every test/reliability/attacks/*.test.ts with its heavy variants
# (GANTRY_ATTACKS_FULL=1: hundreds of MB of probe output and logs, long race loops). CI runs the
# same files reduced. Prints each attack as held or not and the line for bench/RESULTS.md.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp)
GANTRY_ATTACKS_FULL=1 node scripts/run-tests.mjs test/reliability/attacks >"$out" 2>&1
status=$?
# node:test's TAP: "ok N - attack ..." / "not ok N - attack ..."
grep -E '^ *(not )?ok [0-9]+ - attack ' "$out" | sed -E 's/^ *ok [0-9]+ - /held    /; s/^ *not ok [0-9]+ - /BROKEN  /'
tried=$(grep -cE '^ *(not )?ok [0-9]+ - attack ' "$out")
held=$(grep -cE '^ *ok [0-9]+ - attack ' "$out")
echo "$tried attacks tried, $held held ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r))"
[ "$status" -eq 0 ] || echo "full log: $out"
exit "$status"
