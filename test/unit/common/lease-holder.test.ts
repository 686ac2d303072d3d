// A pool lease's holder (common/lock-file.ts holderGone): "PID" is gone with its process; "PID
// OWNER" only once the owner (a container) is gone too, since such a lease outlives its CLI (-d).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holderGone, takeOverGone } from '../../../src/common/lock-file.ts';

const alive = (pid: number): boolean => pid === 10;

test('a lease is free when its pid is dead and the owner it names is gone', () => {
  assert.equal(holderGone('10', alive), false, 'live pid');
  assert.equal(holderGone('11', alive), true, 'dead pid, no owner');
  assert.equal(
    holderGone('11 web', alive, () => false),
    false,
    'dead CLI, its container exists',
  );
  assert.equal(
    holderGone('11 web', alive, (o) => o === 'web'),
    true,
    'dead CLI, container gone',
  );
  assert.equal(
    holderGone('10 web', alive, () => true),
    false,
    'live CLI before its container exists',
  );
  for (const bad of [undefined, '', 'x', '-3', '0 web']) assert.equal(holderGone(bad, alive), false, String(bad));
});

test("takeOverGone removes a gone holder's lease only", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-lease-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = join(dir, 'a.lease');
  writeFileSync(f, '11 web');
  assert.equal(
    takeOverGone(f, alive, () => false),
    false,
  );
  assert.equal(readFileSync(f, 'utf8'), '11 web');
  assert.equal(
    takeOverGone(f, alive, () => true),
    true,
  );
  assert.equal(existsSync(f), false);
  assert.equal(takeOverGone(f, alive), false, 'no lease: nothing to take');
});
