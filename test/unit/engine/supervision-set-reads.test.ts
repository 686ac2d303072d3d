// supervision.json is parsed once per version of the file: each start of an `up` asks whether the
// applied set holds its container, and a parse per ask grew with the square of the project
// (issue 20). A new version (ours, or another process's rename) is always read afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSupervisionSet, writeSupervisionSet } from '../../../src/engine/supervision/supervision-set.ts';
import type { SupervisedContainer } from '../../../src/supervisor/contract.ts';

const base: Omit<SupervisedContainer, 'id' | 'service'> = {
  number: 1,
  restart: { kind: 'no' },
  endpoints: [],
  ports: [],
};
const c = (id: string): SupervisedContainer => ({ ...base, id, service: id });

test('an unchanged set is parsed once; every new version is read', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-ssr-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(readSupervisionSet(dir), undefined);
  writeSupervisionSet(dir, 'p', [], [c('p-a-1')]);
  const first = readSupervisionSet(dir);
  assert.equal(readSupervisionSet(dir), first, 'the same version was parsed again');
  // Our own write, the same size (generation 1 -> 2, one id swapped for one as long), at once.
  writeSupervisionSet(dir, 'p', [], [c('p-b-1')]);
  const second = readSupervisionSet(dir)!;
  assert.deepEqual([second.generation, second.containers[0]!.id], [2, 'p-b-1']);
  // Another process's version: a rename over it.
  const tmp = join(dir, 'other.tmp');
  writeFileSync(tmp, JSON.stringify({ ...second, generation: 3, containers: [c('p-c-1')] }));
  renameSync(tmp, join(dir, 'supervision.json'));
  const third = readSupervisionSet(dir)!;
  assert.deepEqual([third.generation, third.containers[0]!.id], [3, 'p-c-1']);
  rmSync(join(dir, 'supervision.json'));
  assert.equal(readSupervisionSet(dir), undefined);
});
