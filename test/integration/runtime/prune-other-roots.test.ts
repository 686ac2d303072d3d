// runtime.prune() runs before every locked project command (engine/project-context.ts). It once
// checked cgroup.procs of every group under gantry/ in every hierarchy, other state roots' too:
// with 90 containers elsewhere on a v1 host, ≈ 1,000 stats on each `down` (issue 20).
import fs, { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { fixture } from '../../helpers/rootfs-runtime.ts';

const PARENTS = ['/sys/fs/cgroup/pids/gantry', '/sys/fs/cgroup/gantry'];

test("prune looks into no other state root's cgroups", async (t) => {
  const f = fixture(t, 'pro');
  const parent = PARENTS.find((p) => existsSync(p)) ?? PARENTS[0]!;
  mkdirSync(parent, { recursive: true });
  // Named as another state root's groups are: `<id>.<hash of its containers dir>`.
  const others = Array.from({ length: 12 }, (_, i) => `${parent}/tpro-${process.pid}-${i}.0badf00d`);
  for (const d of others) mkdirSync(d);
  t.after(() => {
    for (const d of others) rmdirSync(d);
  });
  const checked: string[] = [];
  const real = fs.existsSync;
  fs.existsSync = ((path: fs.PathLike) => {
    if (typeof path === 'string' && path.includes(`/tpro-${process.pid}-`)) checked.push(path);
    return real(path);
  }) as typeof fs.existsSync;
  syncBuiltinESMExports();
  let removed: string[];
  try {
    removed = await f.rt.prune();
  } finally {
    fs.existsSync = real;
    syncBuiltinESMExports();
  }
  assert.deepEqual(removed, []);
  assert.deepEqual(checked, []);
  for (const d of others) assert.ok(existsSync(d), `${d} is another root's: left alone`);
});
