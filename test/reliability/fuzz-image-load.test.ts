// `image load -i` on malformed archives (truncated tar, bad gzip/zstd, wrong digests, broken or
// mistyped manifest JSON, missing blobs, traversal names, huge headers, symlink loops) and on
// seeded random corruptions of valid ones, through the real CLI: one clear line, exit 1, and the
// store exactly as before (index.json, blobs, layers), no temp file left.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MALFORMED_ARCHIVES, VALID_ARCHIVES } from './fuzz/image-archives.ts';
import { rngFor, randomSeed } from './fuzz/prng.ts';
import { storeBench, type StoreCaseResult } from './fuzz/image-store-case.ts';
import { judgeImageError } from './fuzz/image-verdict.ts';

const bench = storeBench();
after(() => bench.cleanup());
let n = 0;
async function load(bytes: Buffer): Promise<StoreCaseResult> {
  const file = join(bench.work, `case-${n++}.tar`);
  writeFileSync(file, bytes);
  try {
    return await bench.run(['image', 'load', '-i', file]);
  } finally {
    rmSync(file, { force: true });
  }
}
const problemOf = (r: StoreCaseResult): string | undefined =>
  judgeImageError(r, 'image ') ??
  (r.changed ? 'store changed' : r.temps.length ? `temp files left: ${r.temps.join(' ')}` : undefined);

test('the archive builder makes archives gantry loads (so the malformed ones test the checks)', async () => {
  for (const [name, make] of Object.entries(VALID_ARCHIVES)) {
    const r = await load(make());
    assert.deepEqual(
      [r.exitCode, r.stdout, r.changed],
      [0, 'Loaded image: fuzz/img:1\n', true],
      `${name}: ${r.stderr}`,
    );
  }
});

test('malformed archives: one line, exit 1, store unchanged, no temp files', { timeout: 15 * 60_000 }, async () => {
  const problems: string[] = [];
  for (const [name, make] of Object.entries(MALFORMED_ARCHIVES)) {
    const r = await load(make());
    const why = problemOf(r);
    if (why) problems.push(`${name}: ${why}: (exit ${r.exitCode}) ${JSON.stringify(r.stderr.slice(0, 200))}`);
  }
  assert.deepEqual(problems, []);
});

test('a missing input file or a directory is one line too', async () => {
  for (const input of [join(bench.work, 'nope.tar'), bench.work]) {
    const r = await bench.run(['image', 'load', '-i', input]);
    assert.equal(problemOf(r), undefined, r.stderr);
  }
});

test('seeded random corruptions of valid archives load or fail cleanly', { timeout: 15 * 60_000 }, async () => {
  const seed = process.env['GANTRY_FUZZ_SEED'] ? Number(process.env['GANTRY_FUZZ_SEED']) : randomSeed();
  const problems: string[] = [];
  const valid = Object.values(VALID_ARCHIVES).map((make) => make());
  for (let i = 0; i < Number(process.env['GANTRY_FUZZ_IMAGE_CASES'] ?? 30); i++) {
    const rng = rngFor(seed, i);
    const bytes = Buffer.from(rng.pick(valid));
    const cut = rng.chance(0.5);
    const mutated = cut ? bytes.subarray(0, rng.int(0, bytes.length - 1)) : bytes;
    if (!cut) for (let k = rng.int(1, 8); k > 0; k--) mutated[rng.int(0, mutated.length - 1)] = rng.int(0, 255);
    const r = await load(mutated);
    if (r.exitCode === 0) continue; // a flipped padding byte is harmless
    const why = problemOf(r);
    if (why)
      problems.push(
        `case ${i} (${cut ? 'truncated' : 'flipped'}): ${why}: ${JSON.stringify(r.stderr.slice(0, 200))} — GANTRY_FUZZ_SEED=${seed}`,
      );
  }
  assert.deepEqual(problems, []);
});
