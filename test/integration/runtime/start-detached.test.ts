// Detached starts (up) go through one long-lived spawner, not one spawn of the gantry process per
// shim (issue 20: each spawn forks the whole heap and blocks until the child exec'd); the state,
// the liveness checks and a failed start read as with a shim spawned directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
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

/** This process's children whose command line names the spawner. */
function spawnerChildren(): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('gantry-shim-spawner')) {
        out.push(Number(pid));
      }
    } catch {} // gone meanwhile
  }
  return out;
}

test('an idle spawner ends, so a process embedding gantry keeps no child; a later start forks a new one', async (t) => {
  const f = fixture(t, 'sdi');
  const [a, b] = [f.id('a'), f.id('b')];
  for (const id of [a, b]) await f.rt.create(id, f.spec(['/bin/sh', '-c', 'echo up; exec sleep 30']));
  await f.rt.startDetached(a);
  const deadline = Date.now() + 10_000;
  while (spawnerChildren().length > 0 && Date.now() < deadline) await delay(50);
  assert.deepEqual(spawnerChildren(), [], 'the idle spawner is still a child of this process');
  await f.waitOutput(a, 'up');
  assert.equal(f.rt.state(a).status, 'running', 'the container outlives its spawner');
  const { spawns } = await countingSpawns(() => f.rt.startDetached(b));
  assert.equal(spawns.length, 1, `second start spawned: ${spawns.join(', ')}`);
  await f.waitOutput(b, 'up');
  assert.equal(f.rt.state(b).status, 'running');
});
