// Differential test over the valid fixtures: every value replaced in turn by each of a set of
// probes (other types, fractions, negatives, duplicates), then seeded random compound mutations
// (an unknown or x- key added, a key removed, a list item repeated). For each, gantry's schema
// and the Compose Specification's must agree, and when they reject, validateProject must
// explain it with a ConfigError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../../src/project/generated/compose-validator.js';
import { validateProject } from '../../../src/project/validate.ts';
import type { RawProject } from '../../../src/project/raw.ts';
import { fixtures, loadFixture, officialValidator } from '../../helpers/validate-fixtures.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const REPLACEMENTS: readonly Json[] = [
  42,
  1.5,
  -7,
  5000,
  -5000,
  'text',
  '',
  true,
  null,
  [],
  ['a'],
  [1, 1],
  {},
  { k: 'v' },
  { 'x-k': 1 },
];
const MUTATIONS_PER_PROJECT = 300;

// mulberry32: a small seeded generator, so a failure is reproducible.
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function containers(v: Json, out: (Json[] | { [k: string]: Json })[] = []): (Json[] | { [k: string]: Json })[] {
  if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const c of Array.isArray(v) ? v : Object.values(v)) containers(c, out);
  }
  return out;
}

function mutate(doc: Json, random: () => number): Json {
  const copy = structuredClone(doc);
  const all = containers(copy);
  const target = all[Math.floor(random() * all.length)]!;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const keys: (string | number)[] = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
  const op = random();
  if (Array.isArray(target)) {
    if (op < 0.3 && target.length > 0) target.push(structuredClone(pick(target)));
    else if (keys.length > 0) target[pick(keys) as number] = structuredClone(pick(REPLACEMENTS));
    else target.push(structuredClone(pick(REPLACEMENTS)));
  } else if (op < 0.15) target[pick(['zz_unknown', 'x-extra', 'imagee', 'bad key'])] = 'v';
  else if (op < 0.3 && keys.length > 0) delete target[pick(keys) as string];
  else if (keys.length > 0) target[pick(keys) as string] = structuredClone(pick(REPLACEMENTS));
  return copy;
}

const official = officialValidator();

/** Every document that differs from `doc` in one entry, replaced by one of REPLACEMENTS. */
function* everySingleReplacement(doc: Json): Generator<Json> {
  const copy = structuredClone(doc);
  for (const target of containers(copy)) {
    const keys: (string | number)[] = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
    for (const key of keys) {
      const saved = (target as Record<string | number, Json>)[key]!;
      for (const probe of REPLACEMENTS) {
        (target as Record<string | number, Json>)[key] = structuredClone(probe);
        yield copy;
      }
      (target as Record<string | number, Json>)[key] = saved;
    }
  }
}

function agree(f: { name: string }, raw: RawProject, data: Record<string, unknown>, what: string): boolean {
  const ours = validate(data);
  assert.equal(ours, official(data), `${what} of ${f.name}: ${JSON.stringify(data)}`);
  if (!ours) assert.throws(() => validateProject({ ...raw, data }), { name: 'ConfigError' });
  return ours;
}

for (const f of fixtures().filter((x) => x.error === undefined)) {
  test(`differential ${f.name}: single replacements and random mutations judged alike`, async () => {
    const raw = await loadFixture(f.dir);
    let rejected = 0;
    let n = 0;
    for (const data of everySingleReplacement(raw.data as Json)) {
      if (!agree(f, raw, data as Record<string, unknown>, `replacement ${n++}`)) rejected++;
    }
    const random = rng([...f.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
    for (let i = 0; i < MUTATIONS_PER_PROJECT; i++) {
      if (!agree(f, raw, mutate(raw.data as Json, random) as Record<string, unknown>, `mutation ${i}`)) rejected++;
    }
    assert.ok(rejected > 0, 'some mutations must be invalid');
  });
}
