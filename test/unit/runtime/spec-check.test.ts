// The runtime's last check of a spec (whatever the caller: compose, `container run`, a stored
// spec): every value bound for a shim op or an /etc file has its shape, or one line names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSpec } from '../../../src/runtime/spec-check.ts';
import { hostsFile, resolvConf } from '../../../src/runtime/rootfs/etc-files.ts';
import type { ContainerSpec } from '../../../src/runtime/spec.ts';

const base: ContainerSpec = {
  rootfs: { layers: ['/l/a'], readOnly: false },
  process: { args: ['/bin/sh'], env: ['A=1'], cwd: '/' },
  hostname: 'web-1',
};

test('a plain spec passes', () => {
  checkSpec({
    ...base,
    sysctls: { 'net.ipv4.ip_forward': '1', 'net/ipv4/tcp_rmem': '4096\t87380 6291456' },
    mounts: [{ type: 'tmpfs', target: '/t', size: 1024, mode: 0o1777 }],
  });
});

test('each hostile field is refused, naming it', () => {
  const bad: readonly [Partial<ContainerSpec>, RegExp][] = [
    [{ process: { ...base.process, cwd: 'rel' } }, /working dir: must be an absolute path/],
    [{ process: { ...base.process, cwd: '/\0args' } }, /working dir:/],
    [{ process: { ...base.process, env: ['A=1\0B'] } }, /environment:/],
    [{ process: { ...base.process, args: ['/bin/sh\0'] } }, /command:/],
    [{ hostname: 'a\nb' }, /hostname: "a\\nb"/],
    [{ domainname: 'x'.repeat(65) }, /domainname:/],
    [{ sysctls: { 'net.ipv4/../../sysrq-trigger': 'b' } }, /sysctls:/],
    [{ sysctls: { 'net..x': '1' } }, /sysctls:/],
    [{ sysctls: { 'net.core.somaxconn': '1\n2' } }, /sysctls: net.core.somaxconn/],
    [{ mounts: [{ type: 'bind', source: 'rel', target: '/x' }] }, /mount \/x: source/],
    [{ mounts: [{ type: 'bind', source: '/s', target: 'x' }] }, /mount target/],
    [{ mounts: [{ type: 'tmpfs', target: '/t', mode: 0o17777 }] }, /tmpfs \/t: mode/],
    [{ mounts: [{ type: 'tmpfs', target: '/t', size: -1 }] }, /tmpfs \/t: size/],
    [{ dns: { nameservers: [], search: ['a\nnameserver 6.6.6.6'] } }, /dns_search:/],
    [{ netns: '/run/netns/x', embeddedDns: { relayTo: '10.0.0.1 6.6.6.6' } }, /embedded dns:/],
    [{ embeddedDns: { relayTo: '10.0.0.1' } }, /embedded dns:.*own netns/],
    [{ hostAddress: '10.0.0.2\n6.6.6.6 bank' }, /host address:/],
  ];
  for (const [change, re] of bad) assert.throws(() => checkSpec({ ...base, ...change }), re, JSON.stringify(change));
});

test('/etc files: no value can add a line', () => {
  assert.throws(() => hostsFile('web\n6.6.6.6 bank'), /hostname:/);
  assert.throws(() => hostsFile('web', ['1.2.3.4\tx\n6.6.6.6 bank']), /extra_hosts:/);
  assert.throws(() => hostsFile('web', ['not-an-ip\tx']), /extra_hosts:/);
  assert.throws(() => resolvConf('', { nameservers: ['1.1.1.1\nnameserver 6.6.6.6'] }), /dns:/);
  assert.throws(
    () => resolvConf('', { nameservers: ['1.1.1.1'], options: ['ndots:1\nnameserver 6.6.6.6'] }),
    /dns_opt:/,
  );
  assert.equal(
    resolvConf('nameserver 10.0.0.1\n', { nameservers: [], search: ['example.com'], options: ['ndots:2'] }),
    'search example.com\nnameserver 10.0.0.1\noptions ndots:2\n',
  );
});
