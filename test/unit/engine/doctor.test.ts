// Doctor's checks against a made-up host: an old kernel, a v2 host without the pids controller,
// no firewall tool, a shim that does not run on this CPU. Each must fail with its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDoctor, type DoctorProbe } from '../../../src/engine/doctor/index.ts';

function probe(over: Partial<DoctorProbe> & { files?: Record<string, string>; tools?: string[] } = {}): DoctorProbe {
  const files: Record<string, string> = {
    '/proc/filesystems': 'nodev\tsysfs\nnodev\toverlay\n',
    '/proc/sys/kernel/seccomp/actions_avail': 'kill_process kill_thread trap errno user_notif trace log allow',
    '/proc/self/mountinfo': '30 22 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n',
    '/sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory pids',
    ...over.files,
  };
  const tools = over.tools ?? ['ip', 'iptables', 'nsenter', 'zstd'];
  return {
    kernelRelease: '6.1.0-18-amd64',
    arch: process.arch,
    euid: 0,
    readFile: (p) => files[p],
    exists: (p) => p.startsWith('/proc/self/ns/') || p in files,
    which: (cmd) => (tools.includes(cmd) ? `/usr/sbin/${cmd}` : undefined),
    run: () => ({ status: 125, output: 'usage: gantry-shim PLAN [REPORT-FD]\n' }),
    ...over,
  };
}

const failed = (p: DoctorProbe): string[] =>
  runDoctor(p)
    .checks.filter((c) => !c.ok)
    .map((c) => c.name);

test('a ready host passes every check', () => {
  assert.deepEqual(failed(probe()), []);
  assert.equal(runDoctor(probe()).ok, true);
});

test('Linux 5.4: kernel and openat2 fail (required), mount_setattr only warns', () => {
  const r = runDoctor(probe({ kernelRelease: '5.4.0-1-amd64' }));
  assert.deepEqual(
    r.checks.filter((c) => !c.ok).map((c) => [c.name, c.required]),
    [
      ['kernel', true],
      ['openat2', true],
      ['mount_setattr', false],
    ],
  );
  assert.equal(r.ok, false);
});

test('cgroup v2 without pids delegated, no overlay, no seccomp filters', () => {
  const p = probe({
    files: {
      '/sys/fs/cgroup/cgroup.controllers': 'cpu memory',
      '/proc/filesystems': 'nodev\tsysfs\n',
      '/proc/sys/kernel/seccomp/actions_avail': '',
    },
  });
  assert.deepEqual(failed(p), ['overlayfs', 'seccomp', 'cgroups']);
  assert.match(runDoctor(p).checks.find((c) => c.name === 'cgroups')!.fix, /missing: pids/);
});

test('nft alone is a firewall; neither iptables nor nft fails naming both', () => {
  assert.deepEqual(failed(probe({ tools: ['ip', 'nft', 'nsenter', 'zstd'] })), []);
  const c = runDoctor(probe({ tools: ['ip', 'nsenter'] })).checks;
  assert.deepEqual(
    c.filter((x) => !x.ok).map((x) => x.name),
    ['firewall', 'zstd'],
  );
  assert.match(c.find((x) => x.name === 'firewall')!.detail, /iptables or nft not found/);
  assert.equal(runDoctor(probe({ tools: ['ip', 'iptables', 'nsenter'] })).ok, true, 'zstd is optional');
});

test('a shim that does not execute here and a non-root user both fail', () => {
  assert.deepEqual(failed(probe({ run: () => ({ status: undefined, output: '' }), euid: 1000 })), ['shim', 'root']);
});
