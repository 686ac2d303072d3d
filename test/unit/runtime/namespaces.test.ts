// Which namespaces a container creates, joins or shares, and which sysctls that allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLONE, checkSysctls, cloneFlags, joinPaths } from '../../../src/runtime/namespaces.ts';
import type { ContainerSpec } from '../../../src/runtime/spec.ts';

const base: ContainerSpec = {
  rootfs: { layers: ['/l'], readOnly: false },
  process: { args: ['/x'], env: [], cwd: '/' },
};
const ALL_NEW = CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWPID | CLONE.NEWNET;

test('fresh namespaces by default; a netns path or "host" drops the flag', () => {
  assert.equal(cloneFlags(base), ALL_NEW);
  assert.equal(cloneFlags({ ...base, netns: '/run/netns/a' }), ALL_NEW & ~CLONE.NEWNET);
  assert.equal(
    cloneFlags({ ...base, namespaces: { pid: 'host', uts: 'host' } }),
    ALL_NEW & ~CLONE.NEWPID & ~CLONE.NEWUTS,
  );
  assert.deepEqual(
    joinPaths({
      ...base,
      netns: '/run/netns/a',
      namespaces: { ipc: '/proc/9/ns/ipc', pid: '/proc/9/ns/pid', uts: 'host' },
    }),
    {
      ns: ['/proc/9/ns/ipc', '/run/netns/a'],
      pid: '/proc/9/ns/pid',
    },
  );
});

test('sysctls: namespaced keys only, never in a host namespace', () => {
  assert.doesNotThrow(() =>
    checkSysctls({
      ...base,
      netns: '/run/netns/a',
      sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.msgmax': '1', 'fs.mqueue.msg_max': '1' },
    }),
  );
  assert.throws(
    () => checkSysctls({ ...base, namespaces: { net: 'host' }, sysctls: { 'net.core.somaxconn': '1' } }),
    /not the host's/,
  );
  assert.throws(
    () => checkSysctls({ ...base, namespaces: { ipc: 'host' }, sysctls: { 'kernel.shmmax': '1' } }),
    /ipc namespace/,
  );
  assert.throws(() => checkSysctls({ ...base, sysctls: { 'vm.overcommit_memory': '1' } }), /not namespaced/);
});
