// cgroup layout detection from mountinfo text, and the v2 implementation's file writes run for
// real against a temp directory shaped like a cgroup2 mount (this host's unified mount has no
// controllers, so real v2 limits cannot be set here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCgroups } from '../../../src/runtime/cgroups/detect.ts';
import { cgroupDriver } from '../../../src/runtime/cgroups/index.ts';
import { sharesToWeight, v2LimitWrites } from '../../../src/runtime/cgroups/v2.ts';
import { parseOomKills } from '../../../src/runtime/cgroups/types.ts';
import { nodeHost } from '../../../src/runtime/host.ts';

const line = (mp: string, fstype: string, opts: string) => `30 25 0:26 / ${mp} rw,nosuid - ${fstype} ${fstype} ${opts}`;

test('detects pure v2, hybrid and v1 layouts', () => {
  const v2 = detectCgroups([line('/sys/fs/cgroup', 'cgroup2', 'rw,nsdelegate')].join('\n'));
  assert.deepEqual(v2, { layout: 'v2', v1: {}, v2: '/sys/fs/cgroup' });
  const v1Lines = [
    line('/sys/fs/cgroup/memory', 'cgroup', 'rw,memory'),
    line('/sys/fs/cgroup/cpu,cpuacct', 'cgroup', 'rw,cpu,cpuacct'),
    line('/sys/fs/cgroup/pids', 'cgroup', 'rw,pids'),
  ];
  const hybrid = detectCgroups([...v1Lines, line('/sys/fs/cgroup/unified', 'cgroup2', 'rw')].join('\n'));
  assert.equal(hybrid.layout, 'hybrid');
  assert.equal(hybrid.v2, '/sys/fs/cgroup/unified');
  assert.deepEqual(hybrid.v1, {
    memory: '/sys/fs/cgroup/memory',
    cpu: '/sys/fs/cgroup/cpu,cpuacct',
    cpuacct: '/sys/fs/cgroup/cpu,cpuacct',
    pids: '/sys/fs/cgroup/pids',
  });
  assert.equal(detectCgroups(v1Lines.join('\n')).layout, 'v1');
});

test('this host is detected as it is', () => {
  const d = detectCgroups(readFileSync('/proc/self/mountinfo', 'utf8'));
  assert.equal(
    d.layout,
    existsSync('/sys/fs/cgroup/cgroup.controllers') ? 'v2' : existsSync('/sys/fs/cgroup/unified') ? 'hybrid' : 'v1',
  );
});

test('v2 limit mapping: memory, swap, cpu quota, shares → weight, cpuset, pids', () => {
  assert.deepEqual(
    v2LimitWrites({ memory: 100, memorySwap: 300, cpus: 1.5, cpuShares: 1024, cpuset: '0-1', pids: 7 }),
    [
      ['memory.max', '100'],
      ['memory.swap.max', '200'],
      ['cpu.max', '150000 100000'],
      ['cpu.weight', '39'],
      ['cpuset.cpus', '0-1'],
      ['pids.max', '7'],
    ],
  );
  assert.deepEqual(v2LimitWrites({ memoryReservation: 50 }), [['memory.low', '50']]);
  assert.deepEqual(v2LimitWrites({ memory: 100, memorySwap: -1 }), [
    ['memory.max', '100'],
    ['memory.swap.max', 'max'],
  ]);
  assert.equal(sharesToWeight(2), 1);
  assert.equal(sharesToWeight(262144), 10000);
});

test('v2 cgroup: enables controllers up the tree, writes limits, reads stats and OOM, removes', async (t) => {
  const mount = mkdtempSync(join(tmpdir(), `gantry-cg2-${process.pid}-`));
  t.after(() => rmSync(mount, { recursive: true, force: true }));
  // what the kernel would show: controllers at each level, interface files in the group
  writeFileSync(join(mount, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  writeFileSync(join(mount, 'cgroup.subtree_control'), '');
  mkdirSync(join(mount, 'gantry'));
  writeFileSync(join(mount, 'gantry', 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  writeFileSync(join(mount, 'gantry', 'cgroup.subtree_control'), 'memory\n');
  const dir = join(mount, 'gantry', 'c1');
  mkdirSync(dir);
  for (const f of ['memory.max', 'memory.swap.max', 'cpu.max', 'pids.max', 'cgroup.procs'])
    writeFileSync(join(dir, f), '');
  const cg = cgroupDriver(nodeHost(), { layout: 'v2', v1: {}, v2: mount }).forContainer('c1');
  assert.deepEqual(cg.procsFiles, [join(dir, 'cgroup.procs')]);
  await cg.create({ memory: 1 << 20, memorySwap: 2 << 20, cpus: 0.5, pids: 10 });
  assert.equal(readFileSync(join(mount, 'cgroup.subtree_control'), 'utf8'), '+cpu +cpuset +memory +pids');
  assert.equal(readFileSync(join(mount, 'gantry', 'cgroup.subtree_control'), 'utf8'), '+cpu +cpuset +pids');
  assert.equal(readFileSync(join(dir, 'memory.max'), 'utf8'), String(1 << 20));
  assert.equal(readFileSync(join(dir, 'memory.swap.max'), 'utf8'), String(1 << 20));
  assert.equal(readFileSync(join(dir, 'cpu.max'), 'utf8'), '50000 100000');
  assert.equal(readFileSync(join(dir, 'pids.max'), 'utf8'), '10');
  await assert.rejects(cg.create({ cpuShares: 100 }), /cpu\.weight is missing/);
  writeFileSync(join(dir, 'memory.current'), '4096\n');
  writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 1500\nuser_usec 1000\n');
  writeFileSync(join(dir, 'io.stat'), '8:0 rbytes=512 wbytes=1024 rios=1 wios=2\n');
  writeFileSync(join(dir, 'pids.current'), '3\n');
  assert.deepEqual(await cg.stats(), {
    memoryBytes: 4096,
    memoryLimitBytes: 1 << 20,
    cpuNanos: 1_500_000,
    pids: 3,
    blockReadBytes: 512,
    blockWriteBytes: 1024,
  });
  writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n');
  assert.equal(parseOomKills(readFileSync(cg.oomFile!, 'utf8')), 1);
  writeFileSync(join(dir, 'cgroup.procs'), '12\n13\n');
  assert.deepEqual(await cg.pids(), [12, 13]);
  rmSync(dir, { recursive: true }); // a real cgroup dir's files vanish with it; rmdir needs it empty here
  mkdirSync(dir);
  await cg.remove();
  assert.ok(!existsSync(dir));
  await cg.remove(); // already gone: fine
});
