// Fuzzes `gantry config` with generated and mutated compose and .env files (wrong types, deep
// nesting, huge scalars, alias bombs, odd unicode, broken interpolation, CRLF/tabs, many -f,
// include/extends loops, missing files): no stack trace, no hang, every rejection one line with a
// position and exit 1/2. In-process in worker threads (bounded per case); a sample also goes
// through the real bin/gantry.js and must answer byte for byte the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { runGantry } from '../helpers/cli.ts';
import { makeCase, type FuzzCase } from './fuzz/compose-cases.ts';
import { caseEnv, writeCase } from './fuzz/case-files.ts';
import { describeFailure, fuzzSettings } from './fuzz/options.ts';
import { rngFor } from './fuzz/prng.ts';
import { runConfigFuzz } from './fuzz/run-config-fuzz.ts';
import { judge } from './fuzz/verdict.ts';

const { seed, cases, only } = fuzzSettings(2000, 34517185);

test(
  `fuzzed compose/.env files never crash, hang or answer in more than one line (seed ${seed})`,
  { timeout: 30 * 60_000 },
  async () => {
    const outcomes = await runConfigFuzz({ seed, cases, ...(only ? { only } : {}) });
    assert.equal(outcomes.length, only?.length ?? cases);
    const failures = outcomes.filter((o) => !o.verdict.ok).map((o) => describeFailure(seed, o));
    assert.deepEqual(failures, []);
    if (only) return;
    // The generator must reach both sides: a fuzzer that only ever produces YAML errors proves little.
    const kinds = new Set(outcomes.map((o) => (o.verdict.ok ? o.verdict.kind : '')));
    for (const kind of [
      'accepted',
      'rejected:yaml-syntax',
      'rejected:schema',
      'rejected:interpolation',
      'rejected:include/extends',
    ]) {
      assert.ok(kinds.has(kind), `no case ended ${kind} (seed ${seed}): ${[...kinds].join(', ')}`);
    }
  },
);

test(
  `100 fuzz cases through bin/gantry.js answer exactly as in-process (seed ${seed})`,
  { timeout: 20 * 60_000 },
  async () => {
    const rng = rngFor(seed, -1);
    const picked = new Set<number>();
    while (picked.size < 100) picked.add(rng.int(0, Math.max(cases, 100) - 1)); // 100 distinct cases
    const sample = only ?? [...picked];
    const dirs = new Map<number, string>();
    const casesByIndex = new Map<number, FuzzCase>(sample.map((i) => [i, makeCase(seed, i)]));
    try {
      for (const c of casesByIndex.values()) dirs.set(c.index, writeCase(c));
      const inProcess = await runConfigFuzz({
        seed,
        cases: 0,
        only: [...casesByIndex.keys()],
        dirOf: (c) => dirs.get(c.index)!,
      });
      const queue = [...inProcess];
      const mismatches: string[] = [];
      const lane = async (): Promise<void> => {
        for (let o = queue.shift(); o; o = queue.shift()) {
          const c = casesByIndex.get(o.index)!;
          const cli = await runGantry(c.args, {
            cwd: dirs.get(c.index)!,
            env: caseEnv(c),
            input: c.input ?? '',
            timeoutMs: 60_000,
          });
          const verdict = judge(cli);
          if (!verdict.ok) mismatches.push(describeFailure(seed, { ...o, result: cli, verdict }));
          else if (
            !o.result ||
            cli.exitCode !== o.result.exitCode ||
            cli.stderr !== o.result.stderr ||
            cli.stdout !== o.result.stdout
          ) {
            mismatches.push(
              `case ${o.index}: CLI (exit ${cli.exitCode}) ${JSON.stringify(cli.stderr.slice(0, 200))} vs in-process (exit ${o.result?.exitCode}) ${JSON.stringify(o.result?.stderr.slice(0, 200))} — GANTRY_FUZZ_SEED=${seed} GANTRY_FUZZ_ONLY=${o.index}`,
            );
          }
        }
      };
      await Promise.all([lane(), lane(), lane()]);
      assert.deepEqual(mismatches, []);
      assert.equal(inProcess.length, sample.length);
    } finally {
      for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
    }
  },
);
