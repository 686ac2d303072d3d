// A container command killed -9 while it deleted or created a container leaves a staging dir
// (`.deleting.<pid>.<id>`, `.creating.<pid>.<id>`); the next container command removes it, as a
// project command does (regression: only project commands pruned, so `container run --rm` killed
// mid-delete left its container's files in the root for good; crash-bridge saw it in CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

test('a container command removes the staging dirs a killed command left', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const gone = spawnSync('true').pid!; // a pid that has exited
  assert.equal(existsSync(`/proc/${gone}`), false);
  const containers = join(e.root, 'containers');
  mkdirSync(containers, { recursive: true });
  const stale = [`.deleting.${gone}.killed-1`, `.creating.${gone}.killed-2`];
  for (const d of stale) {
    mkdirSync(join(containers, d, 'upper', 'etc'), { recursive: true });
    writeFileSync(join(containers, d, 'state.json'), '{}');
  }
  const live = `.deleting.${process.pid}.busy-3`; // its process is alive: still being removed
  mkdirSync(join(containers, live));
  const ls = await e.gantry(['container', 'ls', '-a']);
  assert.equal(ls.exitCode, 0, ls.stderr);
  assert.deepEqual(
    readdirSync(containers).filter((n) => n.startsWith('.')),
    [live],
  );
});
