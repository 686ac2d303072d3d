#!/bin/sh
# Full leak run: 200 up -d/down cycles of the 10-service stack (CI runs 20), then the host
# snapshot compared as in test/reliability/leak.test.ts. Prints per-cycle figures (first/last/
# mean cycle ms, supervisor RSS) as test diagnostics. CYCLES=N overrides. Run as root after a build.
set -eu
cd "$(dirname "$0")/.."
GANTRY_LEAK_CYCLES="${CYCLES:-200}" node scripts/run-tests.mjs test/reliability/leak.test.ts
