// The config of a `run` container (the service with the flags applied), `exec`'s process by
// Docker's defaults, and the CLI's reading of -e / -p / -v: all pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject, portFlags, volumeFlags } from '../../../src/project/index.ts';
import type { Project } from '../../../src/project/model.ts';
import { oneOffService } from '../../../src/engine/commands/run-service.ts';
import { execProcessSpec } from '../../../src/engine/commands/exec.ts';
import { oneOffName } from '../../../src/engine/oneoff-name.ts';
import { envFlags } from '../../../src/cli/commands/service-flags.ts';
import { UsageError } from '../../../src/common/errors.ts';

const YAML = `services:
  s:
    image: x
    container_name: fixed
    restart: always
    command: [serve]
    entrypoint: [/entry]
    environment: {A: svc, B: svc}
    ports: ["8080:80"]
    volumes: [./data:/data, ./logs:/logs]
    labels: {l: svc}
`;

async function project(): Promise<Project> {
  return loadProject({
    files: ['-'],
    envFiles: [],
    profiles: [],
    environment: {},
    workingDir: '/proj',
    projectName: 'demo',
    readStdin: async () => YAML,
  });
}

test('oneoff: no ports, restart or container_name of the service; flags override; -v replaces a mount on its target', async () => {
  const p = await project();
  const svc = p.services['s']!;
  const plain = oneOffService(svc, {});
  assert.deepEqual(
    [plain.ports, plain.restart, plain.container_name, plain.command, plain.entrypoint],
    [[], undefined, undefined, ['serve'], ['/entry']],
  );
  const o = oneOffService(svc, {
    command: ['test'],
    env: ['B=flag', 'C=new'],
    user: '1000',
    workdir: '/w',
    labels: { l: 'flag' },
    servicePorts: true,
    ports: portFlags(p, ['127.0.0.1:9000:90/udp']),
    volumes: volumeFlags(p, ['./other:/logs:ro']),
    tty: true,
    interactive: true,
  });
  assert.deepEqual(o.command, ['test']);
  assert.deepEqual(o.environment, { A: 'svc', B: 'flag', C: 'new' });
  assert.deepEqual([o.user, o.working_dir, o.labels, o.tty, o.stdin_open], ['1000', '/w', { l: 'flag' }, true, true]);
  assert.deepEqual(
    o.ports.map((x) => [x.host_ip, x.published, x.target, x.protocol]),
    [
      [undefined, '8080', 80, 'tcp'],
      ['127.0.0.1', '9000', 90, 'udp'],
    ],
  );
  assert.deepEqual(
    o.volumes.map((v) => [v.source, v.target, v.read_only ?? false]),
    [
      ['/proj/data', '/data', false],
      ['/proj/other', '/logs', true],
    ],
  );
});

test('oneoff --entrypoint without a command drops the service command; with one keeps it', async () => {
  const svc = (await project()).services['s']!;
  assert.deepEqual(oneOffService(svc, { entrypoint: ['sh', '-c'] }).command, []);
  assert.deepEqual(oneOffService(svc, { entrypoint: ['sh', '-c'], command: ['echo'] }).command, ['echo']);
});

test('bad -p / -v values are usage errors naming the flag', async () => {
  const p = await project();
  assert.throws(
    () => portFlags(p, ['80:99999']),
    (e: unknown) => e instanceof UsageError && /--publish 80:99999: invalid port/.test(e.message),
  );
  assert.throws(
    () => volumeFlags(p, ['a::b']),
    (e: unknown) => e instanceof UsageError && /--volume a::b/.test(e.message),
  );
});

test('exec: the container process by default; -e replaces by key, -u / -w override, TERM with a tty, --privileged: ALL', () => {
  const base = { args: ['serve'], env: ['PATH=/bin', 'A=1', 'B=2'], cwd: '/app', user: 'app', capDrop: ['NET_RAW'] };
  const plain = execProcessSpec(base, { service: 's', command: ['sh'] });
  assert.deepEqual(plain, {
    args: ['sh'],
    env: ['PATH=/bin', 'A=1', 'B=2'],
    cwd: '/app',
    user: 'app',
    capDrop: ['NET_RAW'],
  });
  const o = execProcessSpec(base, {
    service: 's',
    command: ['sh'],
    env: ['B=x', 'C=y'],
    user: 'root',
    workdir: '/',
    tty: true,
    interactive: true,
    privileged: true,
  });
  assert.deepEqual(o, {
    args: ['sh'],
    env: ['PATH=/bin', 'A=1', 'B=x', 'C=y', 'TERM=xterm'],
    cwd: '/',
    user: 'root',
    tty: true,
    stdin: true,
    capAdd: ['ALL'],
    seccomp: 'unconfined',
  });
  assert.equal(
    execProcessSpec(base, { service: 's', command: ['sh'], interactive: true, detach: true }).stdin,
    undefined,
    'detached: no stdin',
  );
});

test('-e K takes K from our environment (dropped when unset); run names are Compose-shaped', () => {
  assert.deepEqual(envFlags(['A=1', 'HOME', 'UNSET_X'], { HOME: '/root' }), ['A=1', 'HOME=/root']);
  assert.match(oneOffName('demo', 'tests'), /^demo-tests-run-[0-9a-f]{12}$/);
  assert.notEqual(oneOffName('demo', 'tests'), oneOffName('demo', 'tests'));
});
