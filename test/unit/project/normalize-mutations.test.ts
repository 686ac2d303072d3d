// Odd input never crashes the later stages: for every valid normalize fixture, each value of the
// raw document in turn is replaced by an odd one (null, a number, a string, an empty list or
// mapping, …); normalize + check + printing must then either succeed or throw a ConfigError —
// never a TypeError that would reach users as an internal error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRaw } from '../../../src/project/load-raw.ts';
import { projectFromRaw, toComposeDocument } from '../../../src/project/index.ts';
import type { KeyPath } from '../../../src/project/raw.ts';
import { fixtureOptions } from '../../helpers/fixture-options.ts';
import { readFixtureFile } from '../../helpers/fixture-files.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/compose/normalize');
const ODD: readonly unknown[] = [null, 42, -1, 'x', '', true, [], {}, [null], [{}], ['a:b:c:d'], 1.5];

function paths(v: unknown, at: KeyPath = []): KeyPath[] {
  if (v === null || typeof v !== 'object') return [at];
  const inner = Object.entries(v).flatMap(([k, e]) => paths(e, [...at, Array.isArray(v) ? Number(k) : k]));
  return at.length ? [at, ...inner] : inner;
}

function replaced(data: Record<string, unknown>, path: KeyPath, value: unknown): Record<string, unknown> {
  const copy = structuredClone(data);
  let cur = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = structuredClone(value);
  return copy;
}

test('odd values anywhere give a ConfigError or a project, never a crash', async () => {
  const crashes: string[] = [];
  let tries = 0;
  for (const name of readdirSync(ROOT).sort()) {
    const dir = join(ROOT, name);
    if (readFixtureFile(dir, 'error.txt') !== undefined) continue;
    const raw = await loadRaw(fixtureOptions(dir));
    for (const path of paths(raw.data)) {
      for (const odd of ODD) {
        tries++;
        try {
          toComposeDocument(projectFromRaw({ ...raw, data: replaced(raw.data, path, odd) }));
        } catch (e) {
          if ((e as Error).name !== 'ConfigError')
            crashes.push(`${name}: ${path.join('.')} = ${JSON.stringify(odd)}: ${(e as Error).message}`);
        }
      }
    }
  }
  assert.ok(tries > 1000, `only ${tries} mutations`);
  assert.deepEqual(crashes, []);
});
