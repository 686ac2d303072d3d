// Fuzz run settings from the environment: GANTRY_FUZZ_SEED replays a run, GANTRY_FUZZ_ONLY
// (comma-separated indexes) replays single cases, GANTRY_FUZZ_CASES sets the count.
import { randomSeed } from './prng.ts';
import type { CaseOutcome } from './run-config-fuzz.ts';

/**
 * The test suite passes a fixed seed (a reproducible gate: the same cases on every CI run);
 * bench/fuzz.mjs passes none and explores a new random seed each time.
 */
export function fuzzSettings(
  defaultCases: number,
  defaultSeed?: number,
): { seed: number; cases: number; only: number[] | undefined } {
  const env = process.env;
  const only = env['GANTRY_FUZZ_ONLY'] ? env['GANTRY_FUZZ_ONLY'].split(',').map(Number) : undefined;
  return {
    seed: env['GANTRY_FUZZ_SEED'] ? Number(env['GANTRY_FUZZ_SEED']) : (defaultSeed ?? randomSeed()),
    cases: Number(env['GANTRY_FUZZ_CASES'] ?? defaultCases),
    only,
  };
}

export function describeFailure(seed: number, o: CaseOutcome): string {
  const why = o.verdict.ok ? 'ok' : o.verdict.why;
  const said = o.result ? ` (exit ${o.result.exitCode}) ${JSON.stringify(o.result.stderr.slice(0, 300))}` : '';
  return `case ${o.index} (${o.kind}): ${why}${said} — replay: GANTRY_FUZZ_SEED=${seed} GANTRY_FUZZ_ONLY=${o.index}`;
}
