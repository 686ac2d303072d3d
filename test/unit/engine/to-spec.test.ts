// Service + image config → ContainerSpec by Docker's rules, the healthcheck merge and restart
// policies the supervisor receives; all pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../../src/project/index.ts';
import type { LocalImage } from '../../../src/image/index.ts';
import { commandLine, environment, toSpec } from '../../../src/engine/translate/to-spec.ts';
import { mergeHealthcheck, restartPolicy } from '../../../src/engine/supervision/supervision-set.ts';

const image: LocalImage = {
  id: 'sha256:x',
  references: [],
  layers: ['/l1'],
  os: 'linux',
  architecture: 'amd64',
  size: 0,
  manifestDigest: 'sha256:m',
  config: {
    env: ['PATH=/image/bin', 'A=image', 'B=image'],
    entrypoint: ['/entry'],
    cmd: ['run', '--fast'],
    workingDir: '/app',
    user: 'app',
    exposedPorts: [],
    volumes: [],
    labels: {},
    stopSignal: 'SIGQUIT',
    healthcheck: { test: ['CMD', 'probe'], intervalNs: 5e9, retries: 7 },
  },
};

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

test('command and entrypoint: command replaces cmd; entrypoint drops the image cmd; null means empty', async () => {
  assert.deepEqual(commandLine(await service('    image: x\n'), image), ['/entry', 'run', '--fast']);
  assert.deepEqual(commandLine(await service('    image: x\n    command: [other]\n'), image), ['/entry', 'other']);
  assert.deepEqual(commandLine(await service('    image: x\n    entrypoint: [/bin/sh, -c]\n'), image), [
    '/bin/sh',
    '-c',
  ]);
  assert.deepEqual(commandLine(await service('    image: x\n    entrypoint: [/e]\n    command: [c]\n'), image), [
    '/e',
    'c',
  ]);
});

test('environment: defaults, then the image, then the service; workdir, user and stop signal fall back to the image', async () => {
  const svc = await service('    image: x\n    environment: {B: service, C: "3"}\n');
  assert.deepEqual(environment(svc, image, 'h'), ['PATH=/image/bin', 'HOSTNAME=h', 'A=image', 'B=service', 'C=3']);
  const spec = toSpec({
    svc,
    image,
    name: 'u-s-1',
    mounts: [],
    net: { netns: '/run/netns/n', dnsServers: ['10.0.0.1'] },
    labels: { k: 'v' },
  });
  assert.equal(spec.process.cwd, '/app');
  assert.equal(spec.process.user, 'app');
  assert.equal(spec.stopSignal, 'SIGQUIT');
  assert.match(spec.hostname!, /^[0-9a-f]{12}$/);
  assert.deepEqual(spec.dns, { nameservers: ['10.0.0.1'] });
  assert.equal(spec.netns, '/run/netns/n');
  const relayed = toSpec({
    svc,
    image,
    name: 'u-s-1',
    mounts: [],
    net: { netns: '/run/netns/n', dnsServers: [], embeddedDns: { relayTo: '10.0.0.1' }, address: '10.0.0.7' },
    labels: {},
  });
  assert.deepEqual([relayed.embeddedDns, relayed.hostAddress], [{ relayTo: '10.0.0.1' }, '10.0.0.7']);
  const own = await service(
    '    image: x\n    working_dir: /w\n    user: "0"\n    stop_signal: SIGINT\n    hostname: web\n    read_only: true\n    init: true\n    privileged: true\n    deploy: {resources: {limits: {memory: 64m, pids: 10}, reservations: {memory: 32m}}}\n',
  );
  const s2 = toSpec({
    svc: own,
    image,
    name: 'u-s-1',
    mounts: [],
    net: { shareNet: 'host', dnsServers: [] },
    labels: {},
  });
  assert.deepEqual(
    [s2.process.cwd, s2.process.user, s2.stopSignal, s2.hostname, s2.rootfs.readOnly, s2.init, s2.privileged],
    ['/w', '0', 'SIGINT', 'web', true, true, true],
  );
  // a container's writable layer is not its data: no syncs of it (RootfsSpec.volatile)
  assert.deepEqual([s2.rootfs.volatile, relayed.rootfs.volatile], [true, true]);
  assert.deepEqual(s2.resources, { memory: 64 * 1024 * 1024, pids: 10, memoryReservation: 32 * 1024 * 1024 });
  assert.deepEqual(s2.namespaces, { net: 'host' });
});

test('healthcheck: service fields override the image one by one; NONE and disable turn it off', async () => {
  assert.deepEqual(mergeHealthcheck(await service('    image: x\n    healthcheck: {timeout: 2s}\n'), image), {
    test: ['CMD', 'probe'],
    intervalMs: 5000,
    timeoutMs: 2000,
    retries: 7,
    startPeriodMs: 0,
    startIntervalMs: 5000,
  });
  assert.equal(mergeHealthcheck(await service('    image: x\n    healthcheck: {test: [NONE]}\n'), image), undefined);
  assert.equal(mergeHealthcheck(await service('    image: x\n    healthcheck: {disable: true}\n'), image), undefined);
});

test('restart policies', () => {
  assert.deepEqual(restartPolicy(undefined), { kind: 'no' });
  assert.deepEqual(restartPolicy('always'), { kind: 'always' });
  assert.deepEqual(restartPolicy('unless-stopped'), { kind: 'unless-stopped' });
  assert.deepEqual(restartPolicy('on-failure'), { kind: 'on-failure' });
  assert.deepEqual(restartPolicy('on-failure:3'), { kind: 'on-failure', maxRetries: 3 });
});
