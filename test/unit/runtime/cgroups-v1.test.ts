// cgroup v1 writes, through a recording host (argument building only; the real kernel path is
// covered by test/integration/runtime/resources.test.ts): directories, cpuset initialised level
// by level before anyone joins, device rules deny-first, limits, hybrid's unified group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeHost } from '../../helpers/fake-host.ts';
import { v1Cgroup } from '../../../src/runtime/cgroups/v1.ts';

function recordingHost(files: Record<string, string>) {
  const writes: [string, string][] = [];
  const dirs: string[] = [];
  const host = fakeHost({
    readFile: async (p) => files[p] ?? '',
    writeFile: async (p, d) => {
      writes.push([p, d]);
      files[p] = d; // reads see it, as with the kernel's interface files
    },
    mkdir: async (p) => {
      dirs.push(p);
    },
  });
  return { host, writes, dirs };
}

const M = {
  memory: '/cg/memory',
  cpu: '/cg/cpu,cpuacct',
  cpuacct: '/cg/cpu,cpuacct',
  pids: '/cg/pids',
  cpuset: '/cg/cpuset',
  freezer: '/cg/freezer',
  devices: '/cg/devices',
};

test('v1 create: one dir per hierarchy (+ unified), cpuset first, devices deny-first, limits', async () => {
  const r = recordingHost({ '/cg/cpuset/cpuset.cpus': '0-1\n', '/cg/cpuset/cpuset.mems': '0\n' });
  const cg = v1Cgroup(r.host, M, '/cg/unified', 'c1');
  assert.deepEqual(
    cg.procsFiles,
    ['memory', 'cpu,cpuacct', 'pids', 'cpuset', 'freezer', 'devices', 'unified'].map(
      (c) => `/cg/${c}/gantry/c1/cgroup.procs`,
    ),
  );
  assert.deepEqual(
    cg.views.map((v) => v.name),
    ['memory', 'cpu,cpuacct', 'pids', 'cpuset', 'freezer', 'unified'],
  );
  await cg.create({ memory: 1000, memorySwap: 2000, cpus: 0.25, cpuShares: 256, pids: 9, cpuset: '1' });
  assert.equal(r.dirs.length, 7);
  const w = (p: string) => r.writes.filter(([f]) => f === p).map(([, d]) => d);
  assert.deepEqual(w('/cg/cpuset/gantry/cpuset.cpus'), ['0-1']);
  assert.deepEqual(w('/cg/cpuset/gantry/c1/cpuset.cpus'), ['1']);
  assert.deepEqual(w('/cg/cpuset/gantry/c1/cpuset.mems'), ['0']);
  assert.deepEqual(w('/cg/devices/gantry/c1/devices.deny'), ['a']);
  const allow = w('/cg/devices/gantry/c1/devices.allow');
  assert.ok(
    allow.includes('c 1:3 rwm') &&
      allow.includes('c 136:* rwm') &&
      !allow.some((a) => a.startsWith('b') && a.includes('rw')),
  );
  const order = r.writes.map(([f]) => f);
  assert.ok(order.indexOf('/cg/devices/gantry/c1/devices.deny') < order.indexOf('/cg/devices/gantry/c1/devices.allow'));
  assert.ok(
    order.indexOf('/cg/memory/gantry/c1/memory.limit_in_bytes') <
      order.indexOf('/cg/memory/gantry/c1/memory.memsw.limit_in_bytes'),
  );
  assert.deepEqual(w('/cg/cpu,cpuacct/gantry/c1/cpu.cfs_quota_us'), ['25000']);
  assert.deepEqual(w('/cg/cpu,cpuacct/gantry/c1/cpu.shares'), ['256']);
  assert.deepEqual(w('/cg/pids/gantry/c1/pids.max'), ['9']);
});

test('v1 create: gantry/ clones cpuset into each group, so a later create reads 2 files and writes none', async () => {
  const r = recordingHost({ '/cg/cpuset/cpuset.cpus': '0-1\n', '/cg/cpuset/cpuset.mems': '0\n' });
  await v1Cgroup(r.host, M, undefined, 'c1').create({});
  assert.deepEqual(
    r.writes.filter(([f]) => f.startsWith('/cg/cpuset/')),
    [
      ['/cg/cpuset/gantry/cpuset.cpus', '0-1'],
      ['/cg/cpuset/gantry/c1/cpuset.cpus', '0-1'],
      ['/cg/cpuset/gantry/cpuset.mems', '0'],
      ['/cg/cpuset/gantry/c1/cpuset.mems', '0'],
      ['/cg/cpuset/gantry/cgroup.clone_children', '1'],
    ],
  );
  // The kernel copies gantry/'s cpus and mems into a new group (cgroup.clone_children): as if here.
  const reads: string[] = [];
  const files: Record<string, string> = {
    '/cg/cpuset/gantry/c2/cpuset.cpus': '0-1\n',
    '/cg/cpuset/gantry/c2/cpuset.mems': '0\n',
  };
  const again = recordingHost(files);
  const readFile = again.host.readFile;
  again.host.readFile = async (p) => (reads.push(p), readFile(p));
  await v1Cgroup(again.host, M, undefined, 'c2').create({});
  assert.deepEqual(reads.filter((p) => p.startsWith('/cg/cpuset/')).sort(), [
    '/cg/cpuset/gantry/c2/cpuset.cpus',
    '/cg/cpuset/gantry/c2/cpuset.mems',
  ]);
  assert.deepEqual(
    again.writes.filter(([f]) => f.startsWith('/cg/cpuset/')),
    [],
  );
  await v1Cgroup(again.host, M, undefined, 'c2').create({ cpuset: '1' });
  assert.deepEqual(
    again.writes.filter(([f]) => f.startsWith('/cg/cpuset/')),
    [['/cg/cpuset/gantry/c2/cpuset.cpus', '1']],
  );
});

test('v1 killAll uses the unified cgroup.kill when there is one, else freezer + SIGKILL', async () => {
  const a = recordingHost({});
  await v1Cgroup(a.host, M, '/cg/unified', 'c1').killAll();
  assert.deepEqual(a.writes, [['/cg/unified/gantry/c1/cgroup.kill', '1']]);
  const b = recordingHost({ '/cg/memory/gantry/c1/cgroup.procs': '' });
  await v1Cgroup(b.host, M, undefined, 'c1').killAll();
  assert.deepEqual(b.writes, [
    ['/cg/freezer/gantry/c1/freezer.state', 'FROZEN'],
    ['/cg/freezer/gantry/c1/freezer.state', 'THAWED'],
  ]);
});

test('v1 stats: memory, cpuacct, pids and blkio (the container joins blkio too)', async () => {
  const r = recordingHost({
    '/cg/memory/gantry/c1/memory.usage_in_bytes': '8192\n',
    '/cg/memory/gantry/c1/memory.limit_in_bytes': '9223372036854771712\n', // "no limit"
    '/cg/cpu,cpuacct/gantry/c1/cpuacct.usage': '123456\n',
    '/cg/pids/gantry/c1/pids.current': '2\n',
    '/cg/blkio/gantry/c1/blkio.throttle.io_service_bytes':
      '8:0 Read 4096\n8:0 Write 1024\n8:0 Total 5120\nTotal 5120\n',
  });
  const cg = v1Cgroup(r.host, { ...M, blkio: '/cg/blkio' }, undefined, 'c1');
  assert.ok(cg.procsFiles.includes('/cg/blkio/gantry/c1/cgroup.procs'));
  assert.deepEqual(await cg.stats(), {
    memoryBytes: 8192,
    memoryLimitBytes: undefined,
    cpuNanos: 123456,
    pids: 2,
    blockReadBytes: 4096,
    blockWriteBytes: 1024,
  });
});
