// 100 create/start/stop/delete cycles leave no mounts, cgroups, processes or state behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers/rootfs-runtime.ts';

const CYCLES = 100;

function cgroupDirs(prefix: string): string[] {
  const found: string[] = [];
  for (const c of readdirSync('/sys/fs/cgroup')) {
    const dir = join('/sys/fs/cgroup', c, 'gantry');
    if (existsSync(dir)) for (const n of readdirSync(dir)) if (n.startsWith(prefix)) found.push(join(dir, n));
  }
  return found;
}

function processesUnder(root: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(root);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test(`${CYCLES} create/start/stop/delete cycles leak nothing`, async (t) => {
  const f = fixture(t, 'leak');
  const prefix = `tleak-c-${process.pid}-`;
  const t0 = Date.now();
  for (let i = 0; i < CYCLES; i++) {
    const id = `${prefix}${i}`;
    await f.rt.create(
      id,
      f.spec(['/bin/sh', '-c', 'trap "exit 0" TERM; echo up; while :; do sleep 0.02; done'], {
        resources: { memory: 32 << 20, pids: 16 },
        mounts: [{ type: 'tmpfs', target: '/scratch' }],
      }),
    );
    await f.rt.start(id);
    await f.waitOutput(id, 'up'); // SIGTERM before the trap is set would be ignored by PID 1
    if (i % 10 === 0) assert.equal((await f.rt.exec(id, { args: ['/bin/true'], env: [], cwd: '/' })).exitCode, 0);
    const s = await f.rt.stop(id, { timeoutMs: 5000 });
    assert.equal(s.exitCode, 0);
    await f.rt.delete(id);
  }
  t.diagnostic(`${CYCLES} cycles in ${Date.now() - t0} ms`);
  assert.deepEqual(
    readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(f.root)),
    [],
  );
  assert.deepEqual(cgroupDirs(prefix), []);
  assert.deepEqual(processesUnder(f.root), []);
  assert.deepEqual(readdirSync(join(f.root, 'containers')), []);
});

test('prune removes cgroups whose container state is gone (a crashed gantry), and only those', async (t) => {
  const f = fixture(t, 'prune');
  const prefix = `tprune-${process.pid}-`;
  await f.rt.create(`${prefix}kept`, f.spec(['/bin/true']));
  await f.rt.create(`${prefix}lost`, f.spec(['/bin/sleep', '30']));
  await f.rt.start(`${prefix}lost`);
  const pid = f.rt.state(`${prefix}lost`).pid!;
  rmSync(join(f.root, 'containers', `${prefix}lost`), { recursive: true, force: true }); // the crash
  const removed = await f.rt.prune();
  assert.deepEqual(
    removed.map((n) => n.split('.')[0]),
    [`${prefix}lost`],
  );
  assert.deepEqual(cgroupDirs(`${prefix}lost`), []);
  assert.ok(cgroupDirs(`${prefix}kept`).length > 0);
  assert.ok(
    !existsSync(`/proc/${pid}/stat`) || readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z'),
    'its process is gone',
  );
});
