// Two deleters of one container at once (`rm -f` of a --rm container while its shim runs the removal at the exit
// `rm -f` caused): both succeed and the container is gone, instead of the loser failing on the rename.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers/rootfs-runtime.ts';

test('two deletes of one container at once both succeed, and nothing of it is left', async (t) => {
  const f = fixture(t, 'delrace');
  for (const running of [false, true]) {
    const id = await f.startDetached(['/bin/sleep', running ? '30' : '0']);
    if (!running) await f.rt.wait(id, { timeoutMs: 30_000 });
    const results = await Promise.allSettled([f.rt.delete(id, { force: true }), f.rt.delete(id, { force: true })]);
    assert.deepEqual(
      results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status)),
      ['fulfilled', 'fulfilled'],
      running ? 'running' : 'exited',
    );
    assert.equal(existsSync(join(f.root, 'containers', id)), false);
    assert.deepEqual(readdirSync(join(f.root, 'containers')), [], 'no staging dir left');
  }
});
