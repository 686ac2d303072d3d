// cgroup limits on the real kernel: memory (OOM kill recorded), pids, cpu quota, cpuset;
// the process is in its groups before its program starts; usage is readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../../helpers/rootfs-runtime.ts';
import { cgroupName } from '../../../src/runtime/context.ts';
import { detectCgroups } from '../../../src/runtime/cgroups/detect.ts';
import { v1Cgroup } from '../../../src/runtime/cgroups/v1.ts';
import { hostCgroupDriver } from '../../../src/runtime/cgroups/index.ts';
import { nodeHost } from '../../../src/runtime/host.ts';

const MB = 1024 * 1024;

test('resources', async (t) => {
  const f = fixture(t, 'res');

  await t.test('memory limit: the program is OOM-killed and that is recorded', async () => {
    const r = await f.run(['/bin/dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], {
      resources: { memory: 16 * MB, memorySwap: 16 * MB },
    });
    assert.equal(r.state.exitCode, 137);
    assert.equal(r.state.oomKilled, true);
    const ok = await f.run(['/bin/dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1M', 'count=1'], {
      resources: { memory: 16 * MB },
    });
    assert.equal(ok.state.exitCode, 0);
    assert.equal(ok.state.oomKilled, false);
  });

  await t.test('no OOM kill: the shim writes no oom file (one inode less per exit)', async () => {
    const id = f.id('no-oom');
    await f.rt.create(id, f.spec(['/bin/true'], { resources: { memory: 16 * MB } }));
    await f.rt.start(id);
    const state = await f.rt.wait(id, { timeoutMs: 30_000 });
    assert.equal(state.oomKilled, false);
    assert.equal(existsSync(join(f.root, 'containers', id, 'status')), true);
    assert.equal(existsSync(join(f.root, 'containers', id, 'oom')), false);
    await f.rt.delete(id, { force: true });
  });

  await t.test('pids limit: forks beyond it fail', async () => {
    const r = await f.run(
      ['/bin/sh', '-c', 'n=0; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & n=$((n+1)); done; echo started; wait'],
      { resources: { pids: 5 } },
    );
    assert.match(r.stderr, /can't fork|Resource temporarily unavailable|Cannot allocate/i);
  });

  await t.test('the program runs inside its cgroups, with the limits written', async () => {
    const id = await f.startDetached(['/bin/sh', '-c', 'cat /proc/self/cgroup; exec sleep 30'], {
      resources: { cpus: 0.5, cpuShares: 512, pids: 64, memory: 64 * MB, memoryReservation: 32 * MB, cpuset: '0' },
    });
    const pid = f.rt.state(id).pid!;
    const cg = cgroupName(join(f.root, 'containers'), id);
    const cgRe = cg.replace('.', '\\.');
    const own = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    for (const c of ['memory', 'pids', 'cpuset', 'freezer', 'cpu', 'cpuacct'])
      assert.match(own, new RegExp(`^\\d+:([a-z,]*,)?${c}(,[a-z,]*)?:/gantry/${cgRe}$`, 'm'));
    if (existsSync('/sys/fs/cgroup/unified')) assert.match(own, new RegExp(`^0::/gantry/${cgRe}$`, 'm'));
    const read = (p: string) => readFileSync(`/sys/fs/cgroup/${p}`, 'utf8').trim();
    assert.equal(read(`cpu/gantry/${cg}/cpu.cfs_quota_us`), '50000');
    assert.equal(read(`cpu/gantry/${cg}/cpu.shares`), '512');
    assert.equal(read(`pids/gantry/${cg}/pids.max`), '64');
    assert.equal(read(`memory/gantry/${cg}/memory.limit_in_bytes`), String(64 * MB));
    assert.equal(read(`memory/gantry/${cg}/memory.soft_limit_in_bytes`), String(32 * MB));
    assert.equal(read(`cpuset/gantry/${cg}/cpuset.cpus`), '0');
    // the shell runs `cat` before it execs sleep: until then the cgroup counts two pids
    const deadline = Date.now() + 5000;
    while (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'sleep' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const stats = await f.rt.stats(id);
    assert.ok(stats.memoryBytes > 0 && stats.pids === 1 && stats.cpuNanos > 0, JSON.stringify(stats));
    assert.equal(stats.memoryLimitBytes, 64 * MB);
    await f.rt.delete(id, { force: true });
    assert.ok(!existsSync(`/sys/fs/cgroup/memory/gantry/${cg}`));
    assert.ok(!existsSync(`/sys/fs/cgroup/unified/gantry/${cg}`));
  });

  await t.test('start writes the limits again when create did not finish them or the group is gone', async () => {
    const read = (cg: string) => readFileSync(`/sys/fs/cgroup/pids/gantry/${cg}/pids.max`, 'utf8').trim();
    const ready = (id: string) => join(f.root, 'containers', id, 'cgroup-ready');
    // create killed after mkdir, before its limits: the group is there, the mark is not
    const half = f.id('half');
    await f.rt.create(half, f.spec(['/bin/sleep', '30'], { resources: { pids: 33 } }));
    const halfCg = cgroupName(join(f.root, 'containers'), half);
    writeFileSync(`/sys/fs/cgroup/pids/gantry/${halfCg}/pids.max`, 'max');
    rmSync(ready(half));
    await f.rt.start(half);
    assert.equal(read(halfCg), '33');
    assert.ok(existsSync(ready(half)));
    await f.rt.delete(half, { force: true });
    // the mark stays but the group went (a reboot empties /sys/fs/cgroup)
    const gone = f.id('gone');
    await f.rt.create(gone, f.spec(['/bin/sleep', '30'], { resources: { pids: 34 } }));
    const goneCg = cgroupName(join(f.root, 'containers'), gone);
    await (await hostCgroupDriver(nodeHost())).forContainer(goneCg).remove();
    assert.ok(!existsSync(`/sys/fs/cgroup/pids/gantry/${goneCg}`));
    await f.rt.start(gone);
    assert.equal(read(goneCg), '34');
    const pid = f.rt.state(gone).pid!;
    assert.match(
      readFileSync(`/proc/${pid}/cgroup`, 'utf8'),
      new RegExp(`pids:/gantry/${goneCg.replace('.', '\\.')}$`, 'm'),
    );
    await f.rt.delete(gone, { force: true });
  });

  await t.test('ulimits apply, clamped to our own hard limit', async () => {
    const hard = Number(/Max open files\s+\d+\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))![1]);
    const r = await f.run([], {
      process: {
        args: ['/bin/sh', '-c', 'ulimit -n; ulimit -Hn'],
        env: [],
        cwd: '/',
        rlimits: [{ type: 'nofile', soft: 512, hard: hard * 4 }],
      },
    });
    assert.equal(r.state.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['512', String(hard)]);
  });

  await t.test('the container sees its own limits, read-only, under /sys/fs/cgroup', async () => {
    const r = await f.run(
      [
        '/bin/sh',
        '-c',
        'cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes; echo 1 > /sys/fs/cgroup/pids/pids.max || echo denied',
      ],
      { resources: { pids: 33, memory: 48 * MB } },
    );
    assert.equal(r.stdout, `33\n${48 * MB}\ndenied\n`);
  });

  await t.test('v1 without a unified hierarchy: freezer + SIGKILL empties the group (real kernel)', async () => {
    const id = await f.startDetached(['/bin/sh', '-c', 'sleep 30 & sleep 30 & echo up; wait']);
    await f.waitOutput(id, 'up');
    const mounts = detectCgroups(readFileSync('/proc/self/mountinfo', 'utf8'));
    // the same group, seen through the v1-only implementation (no cgroup.kill available to it)
    const cg = v1Cgroup(nodeHost(), mounts.v1, undefined, cgroupName(join(f.root, 'containers'), id));
    assert.equal((await cg.pids()).length, 3);
    await cg.killAll();
    assert.deepEqual(await cg.pids(), []);
    assert.equal((await f.rt.wait(id, { timeoutMs: 5000 })).exitCode, 137);
  });
});
