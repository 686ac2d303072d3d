// `container run` flags → ContainerSpec through the services' translator (to-spec.ts): the flags'
// own checks, and that a container and a service with the same settings get the same Docker rules.
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import {
  containerRunSpec as runSpec,
  parseBytes,
  type ContainerRunFlags as RunFlags,
} from '../../../src/engine/translate/container-spec.ts';
import { shortId, toSpec } from '../../../src/engine/translate/to-spec.ts';
import { loadProject } from '../../../src/project/index.ts';
import { parseBytes as parseComposeBytes } from '../../../src/common/bytes.ts';
import { parseLogLine } from '../../../src/runtime/logs.ts';

const none: RunFlags = { env: [], volume: [], tmpfs: [], capAdd: [], capDrop: [] };
const image = {
  layers: ['/l/a'],
  config: { env: ['PATH=/img/bin', 'LANG=C'], cmd: ['/bin/sh'], workingDir: '/srv', user: 'app' },
};
const bare = { layers: ['/l'], config: { env: [] } };

test('image config fills what flags leave open; flags win', () => {
  const s = runSpec('abc123', image, [], none);
  assert.deepEqual(s.process.args, ['/bin/sh']);
  assert.deepEqual(s.process.env, ['PATH=/img/bin', `HOSTNAME=${shortId('abc123')}`, 'HOME=/', 'LANG=C']);
  assert.equal(s.process.cwd, '/srv');
  assert.equal(s.process.user, 'app');
  const f = runSpec(
    'abc123',
    image,
    ['/bin/true'],
    { ...none, env: ['LANG=de', 'X=1'], workdir: '/w', user: '0', tty: true, hostname: 'h' },
    '/root',
  );
  assert.deepEqual(f.process.args, ['/bin/true']);
  assert.deepEqual(f.process.env, ['PATH=/img/bin', 'HOSTNAME=h', 'HOME=/root', 'TERM=xterm', 'LANG=de', 'X=1']);
  assert.deepEqual([f.process.cwd, f.process.user, f.hostname, f.process.tty], ['/w', '0', 'h', true]);
});

test('mounts, limits and switches', () => {
  const s = runSpec('id', bare, ['/x'], {
    ...none,
    volume: ['/a:/b', '/c:/d:ro'],
    tmpfs: ['/t:size=1m,mode=1777'],
    memory: '512m',
    cpus: '0.5',
    pidsLimit: '10',
    readOnly: true,
    init: true,
    capAdd: ['NET_ADMIN'],
  });
  assert.deepEqual(s.mounts, [
    { type: 'bind', source: '/a', target: '/b', readOnly: false },
    { type: 'bind', source: '/c', target: '/d', readOnly: true },
    { type: 'tmpfs', target: '/t', size: 1 << 20, mode: 0o1777 },
  ]);
  assert.deepEqual(s.resources, { memory: 512 << 20, cpus: 0.5, pids: 10 });
  assert.deepEqual([s.rootfs.readOnly, s.init, s.process.capAdd], [true, true, ['NET_ADMIN']]);
  assert.deepEqual(s.process.env, [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `HOSTNAME=${shortId('id')}`,
    'HOME=/',
  ]);
});

test('--ulimit', () => {
  const s = runSpec('id', image, [], { ...none, ulimit: ['nofile=1024:2048', 'core=0'] });
  assert.deepEqual(s.process.rlimits, [
    { type: 'nofile', soft: 1024, hard: 2048 },
    { type: 'core', soft: 0, hard: 0 },
  ]);
  assert.throws(() => runSpec('id', image, [], { ...none, ulimit: ['nofile'] }), /invalid ulimit/);
});

test('--network, --pid, --ipc, --uts', () => {
  assert.equal(runSpec('id', image, [], { ...none, network: 'none' }).namespaces, undefined);
  assert.deepEqual(
    runSpec('id', image, [], { ...none, network: 'host', pid: 'host', ipc: '/proc/7/ns/ipc' }).namespaces,
    { net: 'host', pid: 'host', ipc: '/proc/7/ns/ipc' },
  );
  assert.deepEqual(runSpec('id', image, [], { ...none, network: '/run/netns/x' }).namespaces, { net: '/run/netns/x' });
  assert.throws(() => runSpec('id', image, [], { ...none, network: 'mynet' }), /--network mynet/);
});

test('--security-opt', () => {
  const s = runSpec('id', image, [], { ...none, securityOpt: ['no-new-privileges', 'seccomp=unconfined'] });
  assert.deepEqual([s.process.noNewPrivileges, s.process.seccomp], [true, 'unconfined']);
  assert.throws(() => runSpec('id', image, [], { ...none, securityOpt: ['apparmor=x'] }), /unsupported/);
});

test('--security-opt seccomp=PROFILE.json: read and checked up front, a bad one is a one-line error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-seccomp-opt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'p.json');
  const text = JSON.stringify({
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }],
  });
  writeFileSync(good, text);
  const s = runSpec('id', image, [], { ...none, securityOpt: [`seccomp=${good}`] });
  assert.deepEqual(s.process.seccomp, { profile: text, source: good });
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ defaultAction: 'SCMP_ACT_NOTIFY' }));
  assert.throws(
    () => runSpec('id', image, [], { ...none, securityOpt: [`seccomp=${dir}/bad.json`] }),
    /bad\.json: defaultAction: SCMP_ACT_NOTIFY needs a notification listener/,
  );
  assert.throws(
    () => runSpec('id', image, [], { ...none, securityOpt: [`seccomp=${dir}/none.json`] }),
    /cannot read it \(ENOENT\)/,
  );
});

test('bad flag values are usage errors', () => {
  assert.throws(() => runSpec('id', bare, [], none), /no command/);
  assert.throws(() => runSpec('id', image, [], { ...none, volume: ['rel:/x'] }), /absolute/);
  assert.throws(() => runSpec('id', image, [], { ...none, volume: ['/a:/b:zz'] }), /SRC:DST/);
  assert.throws(() => runSpec('id', image, [], { ...none, cpus: 'lots' }), /--cpus/);
  assert.throws(() => parseBytes('12q'), /invalid size/);
  assert.equal(parseBytes('1.5g'), 1.5 * 1024 ** 3);
});

test('--memory reads sizes as the compose file does (one parser)', () => {
  for (const text of ['512m', '1.5g', '2GB', '1GiB', '1t', '100', '3 m', '0.5k', '7b']) {
    assert.equal(parseBytes(text), parseComposeBytes(text), text);
  }
  assert.equal(parseBytes('1GiB'), 1024 ** 3);
  assert.equal(parseBytes('1.0005k'), 1024); // truncated, as go-units does
});

async function service(yaml: string) {
  const p = await loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: '/tmp',
    projectName: 'u',
    readStdin: async () => `services:\n  s:\n${yaml}`,
  });
  return p.services['s']!;
}

test('container run and a service agree: HOME from passwd, hostname from the name, TERM, env order, tmpfs', async () => {
  const svc = await service(
    '    image: x\n    tty: true\n    environment: {X: "1"}\n    tmpfs: ["/t:size=1m,mode=1777"]\n',
  );
  const fromService = toSpec({
    svc,
    image,
    home: '/home/app',
    name: 'u-s-1',
    mounts: svc.refs.tmpfs.map((t) => ({ type: 'tmpfs' as const, ...t })),
    net: { dnsServers: [] },
    labels: {},
  });
  const fromRun = runSpec(
    'u-s-1',
    image,
    [],
    { ...none, tty: true, env: ['X=1'], tmpfs: ['/t:size=1m,mode=1777'] },
    '/home/app',
  );
  assert.deepEqual(fromRun.process.env, fromService.process.env);
  assert.ok(
    fromService.process.env.includes('HOME=/home/app'),
    "a service gets HOME from the image's passwd, as Docker",
  );
  assert.equal(fromRun.hostname, fromService.hostname);
  assert.equal(fromRun.hostname, shortId('u-s-1'));
  assert.deepEqual(fromRun.mounts, fromService.mounts);
  assert.deepEqual(
    [fromRun.process.args, fromRun.process.cwd, fromRun.process.user, fromRun.log],
    [fromService.process.args, fromService.process.cwd, fromService.process.user, fromService.log],
  );
  // One tmpfs parser (common/tmpfs.ts): an option a service refuses, container run refuses too.
  assert.throws(
    () => runSpec('id', image, [], { ...none, tmpfs: ['/t:mode=abc'] }),
    /--tmpfs \/t:mode=abc: .*not supported/,
  );
});

test('log lines: CRI format, full and partial', () => {
  assert.deepEqual(parseLogLine('2026-12-01T18:00:00.000000001Z stderr F a b '), {
    time: '2026-12-01T18:00:00.000000001Z',
    stream: 'stderr',
    full: true,
    text: 'a b ',
  });
  assert.equal(parseLogLine('2026-12-01T18:00:00Z stdout P x')?.full, false);
  assert.equal(parseLogLine('garbage'), undefined);
});
