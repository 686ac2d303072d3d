// An idle supervisor does no work (issue 20): it learns exits and starts from inotify, not from a
// 200 ms poll that read every container's state files (1,103 openat per 5 s for 60 containers).
// Counted with the kernel's read-syscall counter of the process (/proc/PID/io syscr), then an exit
// must still be restarted and a recreate under the same name still followed, with the slow
// liveness check turned off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSupervisor, readHealth } from '../../../src/supervisor/index.ts';
import { filesOf, livePid } from '../../../src/supervisor/files.ts';
import { isRoot } from '../../helpers/netns.ts';
import { askA, container, projectFixture, sleep, until } from './project-fixture.ts';

const opts = { skip: !isRoot() && 'needs root', timeout: 90_000 };
const readSyscalls = (pid: number): number =>
  Number(/^syscr: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

test('supervisor: idle, it reads nothing; an exit still restarts at once', opts, async (t) => {
  // No liveness check inside the test: whatever the supervisor notices, an event told it.
  process.env['GANTRY_SUPERVISOR_LIVENESS_MS'] = '600000';
  t.after(() => delete process.env['GANTRY_SUPERVISOR_LIVENESS_MS']);
  const f = projectFixture(t, 'ie');
  const ids: string[] = [];
  for (let i = 1; i <= 6; i++) ids.push(await f.start(`s${i}-1`, ['/bin/sleep', '600']));
  f.writeSet({
    networks: [],
    containers: ids.map((id, i) => container(id, `s${i + 1}`, { restart: { kind: 'always' } })),
  });
  await ensureSupervisor(f.projectDir);
  const pid = livePid(filesOf(f.projectDir))!;

  await t.test('no reads over 2 s of idle (a 200 ms poll made ~200 with 6 containers)', async () => {
    // Two windows, the quieter one judged: a loaded machine may still be finishing the apply.
    const windows: number[] = [];
    for (let i = 0; i < 2; i++) {
      await sleep(300);
      const before = readSyscalls(pid);
      await sleep(2000);
      windows.push(readSyscalls(pid) - before);
    }
    t.diagnostic(`${windows.join(', ')} read calls in 2 s`);
    // libuv's inotify reads, when anything at all happened
    assert.ok(Math.min(...windows) < 40, `the idle supervisor made ${windows.join(', ')} read calls in 2 s`);
  });

  await t.test('a killed container is restarted: its exit came as an event', async () => {
    const t0 = Date.now();
    f.rt.kill(ids[0]!, 'SIGKILL');
    await until('restarted', () => (readHealth(f.projectDir, ids[0]!)?.restartCount ?? 0) >= 1, 4000);
    await until('running again', () => f.rt.state(ids[0]!).status === 'running', 4000);
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
  });

  await t.test('a container recreated under its name is followed: its exit is restarted too', async () => {
    const id = ids[1]!;
    await f.rt.delete(id, { force: true });
    await f.start('s2-1', ['/bin/sh', '-c', 'sleep 0.3; exit 1']);
    const created = f.rt.state(id).created;
    const restarted = () => {
      const h = readHealth(f.projectDir, id);
      return h?.instance === created && h.restartCount >= 1;
    };
    await until('the new instance restarted', restarted, 4000);
  });
});

// A shim killed with -9 writes no status file: its PID 1's later death renames nothing, and only the
// liveness check sees the container gone (its DNS records go; no restart: there is no exit to judge).
test('supervisor: the liveness check finds an exit no event announces (shim killed with -9)', opts, async (t) => {
  process.env['GANTRY_SUPERVISOR_LIVENESS_MS'] = '500';
  t.after(() => delete process.env['GANTRY_SUPERVISOR_LIVENESS_MS']);
  const f = projectFixture(t, 'il');
  const net = await f.nets.ensureNetwork({ id: `${f.project}_default`, internal: false });
  f.defer(() => f.nets.removeNetwork(net.id));
  const ep = await f.endpoint(net.id, 'web-1');
  const id = await f.start('web-1', ['/bin/sleep', '600'], { netns: ep.path });
  f.writeSet({
    networks: [{ networkId: net.id, dnsAddress: net.gateway, internal: false }],
    containers: [container(id, 'web', { endpoints: [{ networkId: net.id, address: ep.address, names: ['web'] }] })],
    upstreamDns: [],
  });
  await ensureSupervisor(f.projectDir);
  assert.deepEqual((await askA(net.gateway, 'web')).addrs, [ep.address]);
  const state = JSON.parse(readFileSync(join(f.root, 'containers', id, 'state.json'), 'utf8')) as {
    shimPid: number;
    pid: number;
  };
  process.kill(state.shimPid, 'SIGKILL'); // no status file will ever be written
  await sleep(200);
  process.kill(state.pid, 'SIGKILL');
  await until('web gone from DNS', async () => (await askA(net.gateway, 'web')).addrs.length === 0, 5000);
});

// Its log is in the watched directory: each write is an event, and a talker must not cost a wake-up per line.
test('supervisor: a container writing its log without pause does not wake it per line', opts, async (t) => {
  process.env['GANTRY_SUPERVISOR_LIVENESS_MS'] = '600000';
  t.after(() => delete process.env['GANTRY_SUPERVISOR_LIVENESS_MS']);
  const f = projectFixture(t, 'ic');
  const id = await f.start('talk-1', ['/bin/sh', '-c', 'while true; do echo a line of log text; done']);
  f.writeSet({ networks: [], containers: [container(id, 'talk', { restart: { kind: 'always' } })] });
  await ensureSupervisor(f.projectDir);
  const pid = livePid(filesOf(f.projectDir))!;
  await sleep(300);
  const before = readSyscalls(pid);
  await sleep(2000);
  const reads = readSyscalls(pid) - before;
  t.diagnostic(`${reads} read calls in 2 s`);
  // a wake-up per write made ~40,000; resting the watch, ~5 looks a second
  assert.ok(reads < 2000, `the supervisor made ${reads} read calls in 2 s`);
  f.rt.kill(id, 'SIGKILL'); // and its exit is still seen
  await until('restarted', () => (readHealth(f.projectDir, id)?.restartCount ?? 0) >= 1, 4000);
});
