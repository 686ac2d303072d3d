// Full fuzz run of `gantry config`: 10,000 generated or mutated compose/.env cases (the CI test
// runs 2,000), in-process in worker threads, each bounded in time. Prints the figures for
// bench/RESULTS.md: cases, outcome by kind, time per case, slowest cases; exits 1 on any failure.
// Usage: node bench/fuzz.mjs [cases] [seed]   (GANTRY_FUZZ_SEED / GANTRY_FUZZ_CASES also work)
import { register } from 'tsx/esm/api';

register();
const { runConfigFuzz } = await import('../test/reliability/fuzz/run-config-fuzz.ts');
const { describeFailure, fuzzSettings } = await import('../test/reliability/fuzz/options.ts');

const settings = fuzzSettings(10_000);
const cases = Number(process.argv[2] ?? settings.cases);
const seed = Number(process.argv[3] ?? settings.seed);
const started = performance.now();
const outcomes = await runConfigFuzz({ seed, cases });
const wall = performance.now() - started;

const count = (key) => outcomes.reduce((m, o) => m.set(key(o), (m.get(key(o)) ?? 0) + 1), new Map());
const byOutcome = count((o) => (o.verdict.ok ? o.verdict.kind : 'FAILED'));
const byKind = count((o) => o.kind);
const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
const pct = (p) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))].toFixed(1);
const failures = outcomes.filter((o) => !o.verdict.ok);

console.log(`seed ${seed}: ${outcomes.length} cases in ${(wall / 1000).toFixed(1)} s wall (2 worker threads)`);
console.log(`| outcome | cases |\n|---|---|`);
for (const [k, v] of [...byOutcome].sort((a, b) => b[1] - a[1])) console.log(`| ${k} | ${v} |`);
console.log(`\n| generator | cases | mean ms |\n|---|---|---|`);
for (const [k, v] of [...byKind].sort((a, b) => b[1] - a[1])) {
  const mine = outcomes.filter((o) => o.kind === k);
  console.log(`| ${k} | ${v} | ${(mine.reduce((s, o) => s + o.ms, 0) / v).toFixed(1)} |`);
}
console.log(
  `\ntime per case: median ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${ms.at(-1).toFixed(1)} ms`,
);
for (const o of [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 3))
  console.log(`slow: case ${o.index} (${o.kind}) ${o.ms.toFixed(0)} ms → ${o.verdict.ok ? o.verdict.kind : 'FAILED'}`);
for (const o of failures) console.log(`FAIL ${describeFailure(seed, o)}`);
process.exit(failures.length ? 1 : 0);
