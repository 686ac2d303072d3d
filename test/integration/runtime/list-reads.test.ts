// runtime.list() reads each container's state.json once: it once filtered on a parse and then
// parsed again for the state, twice the reads of every `ps`, observe and dependency wait (issue 20).
import fs from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { fixture } from '../../helpers/rootfs-runtime.ts';

test('list reads each state.json once', async (t) => {
  const f = fixture(t, 'lsr');
  const ids = [f.id('a'), f.id('b'), f.id('c')];
  for (const id of ids) await f.rt.create(id, f.spec(['/bin/true']));
  const reads: string[] = [];
  const real = fs.readFileSync;
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (typeof path === 'string' && path.endsWith('/state.json')) reads.push(path);
    return (real as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  let listed;
  try {
    listed = await f.rt.list();
  } finally {
    fs.readFileSync = real;
    syncBuiltinESMExports();
  }
  assert.deepEqual(listed.map((c) => [c.id, c.status]).sort(), ids.map((id) => [id, 'created']).sort());
  assert.equal(reads.length, ids.length, reads.join('\n'));
});
