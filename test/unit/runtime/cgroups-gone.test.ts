// A group another deleter removes while we kill it (`rm -f` racing a --rm container's own removal): its
// interface files answer ENOENT or ENODEV after our exists() said yes. Kill and list treat that as an empty,
// gone group; any other error still surfaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Host } from '../../../src/runtime/host.ts';
import { v1Cgroup } from '../../../src/runtime/cgroups/v1.ts';
import { v2Cgroup } from '../../../src/runtime/cgroups/v2.ts';
import { fakeHost } from '../../helpers/fake-host.ts';

function failingHost(code: string): Host {
  const fail = async (): Promise<never> => {
    throw Object.assign(new Error(`${code}: interface file`), { code });
  };
  return fakeHost({ readFile: fail, writeFile: fail });
}

const V1 = { memory: '/cg/memory', pids: '/cg/pids', freezer: '/cg/freezer' };
const groups = {
  'v1 (freezer)': (h: Host) => v1Cgroup(h, V1, undefined, 'c1'),
  'v1 hybrid (cgroup.kill)': (h: Host) => v1Cgroup(h, V1, '/cg/unified', 'c1'),
  v2: (h: Host) => v2Cgroup(h, '/cg2', 'c1'),
};

for (const [name, make] of Object.entries(groups)) {
  for (const code of ['ENODEV', 'ENOENT']) {
    test(`${name}: killAll and pids of a group removed meanwhile (${code}) find it empty`, async () => {
      const cg = make(failingHost(code));
      await cg.killAll();
      assert.deepEqual(await cg.pids(), []);
    });
  }
  test(`${name}: any other error of the group's files still fails the kill`, async () => {
    await assert.rejects(make(failingHost('EACCES')).killAll(), /EACCES/);
  });
}
