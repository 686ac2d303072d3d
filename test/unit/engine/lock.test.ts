// The project lock: a second holder waits until the first releases; a dead holder's lock is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockProject } from '../../../src/engine/state.ts';

test('two holders serialize; a stale lock of a dead process is recovered', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-lock-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await lockProject(dir);
  let second = false;
  const waiting = lockProject(dir).then((l) => ((second = true), l));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(second, false, 'the second waits while the first holds the lock');
  first.release();
  (await waiting).release();
  assert.equal(second, true);
  assert.equal(existsSync(dir), false, 'the last release removes the then-empty project dir');
  mkdirSync(dir);
  writeFileSync(join(dir, 'lock'), '999999999 12345\n'); // no such process
  writeFileSync(join(dir, 'lock.999999999.tmp'), '999999999 12345\n'); // killed between write and link
  writeFileSync(join(dir, 'keep'), '');
  const taken = await lockProject(dir, 2_000);
  assert.equal(taken.recovered, true);
  assert.deepEqual(readdirSync(dir).sort(), ['keep', 'lock']);
  taken.release();
  assert.deepEqual(readdirSync(dir), ['keep'], 'a dir with state stays');
  await assert.rejects(async () => {
    const held = await lockProject(dir);
    try {
      await lockProject(dir, 200);
    } finally {
      held.release();
    }
  }, /held by another gantry command/);
});
