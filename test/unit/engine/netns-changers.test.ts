// Which `container run` containers get a namespace of their own instead of a pooled one
// (engine/ops/netns-changers.ts): those that could change it for the next container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerRunSpec, type ContainerRunFlags } from '../../../src/engine/translate/container-spec.ts';
import { changesNetns } from '../../../src/engine/ops/netns-changers.ts';

const none: ContainerRunFlags = { env: [], volume: [], tmpfs: [], capAdd: [], capDrop: [] };
const image = { layers: ['/l'], config: { env: [], cmd: ['/bin/sh'] } };
const why = (f: Partial<ContainerRunFlags>): string | undefined =>
  changesNetns(containerRunSpec('c1', image, [], { ...none, ...f }));

test('default, NET_RAW, other caps and dropped caps keep the pooled namespace', () => {
  assert.equal(why({}), undefined);
  assert.equal(why({ capAdd: ['NET_RAW', 'SYS_PTRACE', 'NET_BIND_SERVICE'] }), undefined);
  assert.equal(why({ capDrop: ['NET_ADMIN'], user: '1000', readOnly: true }), undefined);
  assert.equal(why({ ipc: 'host', uts: 'host' }), undefined);
});

test('what could change the namespace, or leave a process in it, gets its own', () => {
  assert.equal(why({ privileged: true }), 'privileged');
  assert.equal(why({ capAdd: ['net_admin'] }), 'cap_add NET_ADMIN');
  assert.equal(why({ capAdd: ['CAP_SYS_ADMIN'] }), 'cap_add SYS_ADMIN');
  assert.equal(why({ capAdd: ['all'] }), 'cap_add ALL');
  assert.equal(why({ pid: 'host' }), 'pid namespace host');
  assert.equal(why({ sysctl: ['net.ipv4.ip_forward=1'] }), 'sysctl net.ipv4.ip_forward');
  assert.equal(why({ sysctl: ['kernel.msgmax=8192'] }), undefined);
  assert.throws(
    () => why({ sysctl: ['net.ipv4.ip_forward'] }),
    /invalid sysctl net\.ipv4\.ip_forward \(use NAME=VALUE/,
  );
  const spec = containerRunSpec('c1', image, [], none);
  assert.equal(changesNetns({ ...spec, readonlyPaths: ['/proc/bus'] }), 'writable /proc/sys');
});
