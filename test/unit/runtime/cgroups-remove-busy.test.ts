// A group whose killed processes are still being reaped answers rmdir with EBUSY: the removal waits as long
// as the wait for an empty group does (5 s), not one second, so a loaded machine does not leave the group on
// the host. Before, removeDir gave up after 200 tries of 5 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeDir } from '../../../src/runtime/cgroups/common.ts';
import { fakeHost } from '../../helpers/fake-host.ts';

const busyFor = (ms: number) => {
  const until = Date.now() + ms;
  let tries = 0;
  const host = fakeHost({
    rmdir: async () => {
      tries++;
      if (Date.now() < until) throw Object.assign(new Error('EBUSY: rmdir'), { code: 'EBUSY' });
    },
  });
  return { host, tries: () => tries };
};

test('an rmdir busy for 1.5 s is waited out', async () => {
  const { host, tries } = busyFor(1500);
  await removeDir(host, '/cg/pids/gantry/c1');
  assert.ok(tries() > 1, 'retried');
});

test('an rmdir still busy past the deadline fails with EBUSY', async () => {
  const { host } = busyFor(60_000);
  await assert.rejects(removeDir(host, '/cg/pids/gantry/c1', 50), /EBUSY/);
});
