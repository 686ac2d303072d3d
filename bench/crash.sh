#!/bin/sh
# Full crash run: POINTS kill -9 points (default 400; CI runs 52) across up, down, container
# run --rm and image pull, as in test/reliability/crash.test.ts. SEED=N replays a run.
set -eu
cd "$(dirname "$0")/.."
GANTRY_CRASH_POINTS="${POINTS:-400}" GANTRY_CRASH_SEED="${SEED:-$(date +%s)}" node scripts/run-tests.mjs test/reliability/crash.test.ts
