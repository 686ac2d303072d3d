// stoppedByUser in supervision.json: marking sets it on the named containers only (a new
// generation), clearing removes the key, a project without a set is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markStoppedByUser } from '../../../src/engine/supervision/user-stopped.ts';
import { readSupervisionSet, writeSupervisionSet } from '../../../src/engine/supervision/supervision-set.ts';
import type { SupervisedContainer } from '../../../src/supervisor/contract.ts';

const c = (id: string): SupervisedContainer => ({
  id,
  service: id,
  number: 1,
  restart: { kind: 'always' },
  endpoints: [],
  ports: [],
});

test('marks and clears only the named containers, bumping the generation', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-usr-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeSupervisionSet(dir, 'p', [], [c('p-a-1'), c('p-b-1')]);
  markStoppedByUser(dir, ['p-a-1']);
  let set = readSupervisionSet(dir)!;
  assert.equal(set.generation, 2);
  assert.deepEqual(
    set.containers.map((x) => [x.id, x.stoppedByUser]),
    [
      ['p-a-1', true],
      ['p-b-1', undefined],
    ],
  );
  markStoppedByUser(dir, ['p-a-1']); // already marked: no rewrite
  assert.equal(readSupervisionSet(dir)!.generation, 2);
  markStoppedByUser(dir, ['p-a-1', 'p-b-1'], false);
  set = readSupervisionSet(dir)!;
  assert.equal(set.generation, 3);
  assert.ok(set.containers.every((x) => !('stoppedByUser' in x)));
});

test('no supervision set: nothing is written', (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-usr-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  markStoppedByUser(dir, ['x']);
  assert.equal(existsSync(join(dir, 'supervision.json')), false);
});
