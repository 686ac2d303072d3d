// Detached starts (up) go through one long-lived spawner, not one spawn of the gantry process per
// shim (issue 20: each spawn forks the whole heap and blocks until the child exec'd); the state,
// the liveness checks and a failed start read as with a shim spawned directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../helpers/rootfs-runtime.ts';
import { countingSpawns } from '../../helpers/count-spawns.ts';
import { processStart } from '../../../src/runtime/container.ts';
import { containerPaths, readState } from '../../../src/runtime/state.ts';

test('detached starts share one spawner and record live shims', async (t) => {
  const f = fixture(t, 'sdt');
  const ids = [f.id('a'), f.id('b'), f.id('c'), f.id('d')];
  for (const id of ids) await f.rt.create(id, f.spec(['/bin/sh', '-c', 'echo up; exec sleep 30']));
  const { spawns } = await countingSpawns(() => Promise.all(ids.map((id) => f.rt.startDetached(id))));
  assert.ok(spawns.length <= 1, `spawned ${spawns.length} processes for ${ids.length} starts: ${spawns.join(', ')}`);
  for (const id of ids) {
    await f.waitOutput(id, 'up');
    const s = f.rt.state(id);
    assert.equal(s.status, 'running', id);
    const stored = readState(containerPaths(`${f.root}/containers`, id))!;
    assert.ok(stored.shimPid !== undefined && processStart(stored.shimPid) === stored.shimStart, `${id}: shim`);
    assert.notEqual(stored.shimPid, s.pid);
  }
  // A shim outlives the spawner's requests: the container stops through it as before.
  assert.equal((await f.rt.stop(ids[0]!, { timeoutMs: 1000 })).status, 'exited');
});

test('a detached start that fails reports the step and the exit code', async (t) => {
  const f = fixture(t, 'sdf');
  const id = f.id('x');
  await f.rt.create(id, f.spec(['/no/such/program']));
  await f.rt.startDetached(id).then(
    () => assert.fail('started'),
    (e: Error) => assert.match(e.message, new RegExp(`^container ${id}: start: .*no/such/program`)),
  );
  const s = f.rt.state(id);
  assert.equal(s.status, 'exited');
  assert.equal(s.exitCode, 127);
});
