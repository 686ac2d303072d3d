// `gantry config` through the built CLI: every flag, exit codes 0/1/2, `-f -`, warnings on
// stderr once each, and errors as one line without a stack trace (a stack only with --debug).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runGantry } from '../helpers/cli.ts';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const HELLO = join(REPO, 'examples/hello/compose.yaml');
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' };
const gantry = (args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}) =>
  runGantry(args, {
    cwd: opts.cwd ?? REPO,
    env: { ...env, ...opts.env },
    ...(opts.input === undefined ? {} : { input: opts.input }),
  });

function tempProject(t: { after: (f: () => void) => void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `gantry-config-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('config prints the normalized project as YAML and JSON', async () => {
  const yaml = await gantry(['-f', HELLO, 'config']);
  assert.equal(yaml.exitCode, 0, yaml.stderr);
  assert.equal(yaml.stderr, '');
  const doc = parse(yaml.stdout) as { name: string; services: Record<string, { ports: unknown[] }>; networks: unknown };
  assert.equal(doc.name, 'hello');
  assert.deepEqual(Object.keys(doc), ['name', 'services', 'networks']);
  assert.deepEqual(doc.services.web!.ports, [
    { host_ip: '127.0.0.1', mode: 'ingress', protocol: 'tcp', published: '8080', target: 8080 },
  ]);
  const json = await gantry(['-f', HELLO, 'config', '--format', 'json']);
  assert.equal(json.exitCode, 0);
  assert.deepEqual(JSON.parse(json.stdout), doc);
});

test('config lists: --services, --volumes, --networks, --profiles, --images', async (t) => {
  const dir = tempProject(t, {
    'compose.yaml':
      'services:\n  web: {image: nginx, volumes: [data:/d]}\n  api: {build: ., profiles: [dev]}\n  db: {image: postgres, profiles: [db, dev]}\nvolumes: {data: {}}\n',
  });
  const run = (flag: string, more: string[] = []) => gantry([...more, 'config', flag], { cwd: dir });
  assert.equal((await run('--services')).stdout, 'web\n');
  assert.equal((await run('--services', ['--profile', 'dev'])).stdout, 'api\ndb\nweb\n');
  assert.equal((await run('--volumes')).stdout, 'data\n');
  assert.equal((await run('--networks')).stdout, 'default\n');
  assert.equal((await run('--profiles')).stdout, 'db\ndev\n');
  const name = (await run('--images', ['-p', 'demo', '--profile', '*'])).stdout;
  assert.equal(name, 'demo-api\npostgres\nnginx\n');
});

test('config --hash prints stable "service hash" lines', async () => {
  const all = await gantry(['-f', HELLO, 'config', '--hash', '*']);
  assert.equal(all.exitCode, 0);
  assert.match(all.stdout, /^web [0-9a-f]{64}\nworker [0-9a-f]{64}\n$/);
  assert.equal((await gantry(['-f', HELLO, 'config', '--hash', '*'])).stdout, all.stdout);
  const one = await gantry(['-f', HELLO, 'config', '--hash', 'worker']);
  assert.equal(one.stdout, all.stdout.split('\n')[1] + '\n');
  const changed = await gantry(['-f', HELLO, 'config', '--hash', 'web'], { env: { WEB_PORT: '9090' } });
  assert.notEqual(changed.stdout, all.stdout.split('\n')[0] + '\n');
  const missing = await gantry(['-f', HELLO, 'config', '--hash', 'nope']);
  assert.equal(missing.exitCode, 1);
  assert.equal(missing.stderr, 'no such service: nope\n');
});

test('config --no-interpolate and --no-normalize print the merged files', async () => {
  const raw = await gantry(['-f', HELLO, 'config', '--no-interpolate']);
  assert.equal(raw.exitCode, 0, raw.stderr);
  assert.deepEqual((parse(raw.stdout) as { services: { web: { ports: string[] } } }).services.web.ports, [
    '127.0.0.1:${WEB_PORT:-8080}:8080',
  ]);
  const names = await gantry(['-f', HELLO, 'config', '--no-interpolate', '--services']);
  assert.equal(names.stdout, 'web\nworker\n');
  const merged = await gantry(['-f', HELLO, 'config', '--no-normalize'], { env: { WEB_PORT: '9000' } });
  assert.deepEqual((parse(merged.stdout) as { services: { web: { ports: string[] } } }).services.web.ports, [
    '127.0.0.1:9000:8080',
  ]);
});

test('config -q prints nothing; -o writes the file', async (t) => {
  const quiet = await gantry(['-f', HELLO, 'config', '-q']);
  assert.deepEqual([quiet.exitCode, quiet.stdout, quiet.stderr], [0, '', '']);
  const dir = tempProject(t, {});
  const out = join(dir, 'out.yaml');
  const written = await gantry(['-f', HELLO, 'config', '-o', out]);
  assert.equal(written.stdout, '');
  assert.equal(readFileSync(out, 'utf8'), (await gantry(['-f', HELLO, 'config'])).stdout);
});

test('config reads -f - from stdin and honours COMPOSE_PROJECT_NAME', async () => {
  const r = await gantry(['-f', '-', 'config', '--format', 'json'], {
    input: 'services:\n  a:\n    image: alpine\n',
    env: { COMPOSE_PROJECT_NAME: 'fromenv' },
  });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { name: string }).name, 'fromenv');
});

test('config honours --project-directory, --env-file and COMPOSE_FILE', async (t) => {
  const dir = tempProject(t, {
    'base.yaml': 'services:\n  app:\n    image: "alpine:${TAG:-none}"\n    volumes: ["./data:/data"]\n',
    'custom.env': 'TAG=3.20\n',
  });
  const r = await gantry([
    '-f',
    join(dir, 'base.yaml'),
    '--project-directory',
    '/srv/elsewhere',
    '--env-file',
    join(dir, 'custom.env'),
    'config',
    '--format',
    'json',
  ]);
  assert.equal(r.exitCode, 0, r.stderr);
  const app = JSON.parse(r.stdout) as {
    name: string;
    services: { app: { image: string; volumes: { source: string }[] } };
  };
  assert.deepEqual(
    [app.name, app.services.app.image, app.services.app.volumes[0]!.source],
    ['elsewhere', 'alpine:3.20', '/srv/elsewhere/data'],
  );
  const viaEnv = await gantry(['config', '--images'], { cwd: dir, env: { COMPOSE_FILE: 'base.yaml' } });
  assert.deepEqual([viaEnv.exitCode, viaEnv.stdout], [0, 'alpine:none\n']);
});

test('warnings go to stderr once each', async (t) => {
  const dir = tempProject(t, {
    'compose.yaml': 'services:\n  app:\n    image: "alpine:${TAG}"\n    command: ["${TAG}"]\n    cgroup_parent: "x"\n',
  });
  const r = await gantry(['config', '-q'], { cwd: dir });
  assert.equal(r.exitCode, 0);
  assert.equal(
    r.stderr,
    'WARN: The "TAG" variable is not set. Defaulting to a blank string.\nWARN: services.app.cgroup_parent: not supported by gantry yet\n',
  );
});

test('an invalid project exits 1 with one line and no stack; --debug adds the stack', async (t) => {
  const dir = tempProject(t, {
    'compose.yaml':
      'services:\n  a:\n    image: alpine\n    depends_on: [b]\n  b:\n    image: alpine\n    depends_on: [a]\n',
  });
  const r = await gantry(['config'], { cwd: dir });
  assert.equal(r.exitCode, 1);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    // A discovered file is named relative to the working directory, as the user would write it.
    'compose.yaml:4:18: services.a.depends_on[0]: dependency cycle: a -> b -> a\n',
  );
  const debug = await gantry(['--debug', 'config'], { cwd: dir });
  assert.equal(debug.exitCode, 1);
  assert.match(debug.stderr, /dependency cycle[^\n]*\n[\s\S]*\n\s+at /);
});

test('--no-consistency skips the cross-field checks', async (t) => {
  const dir = tempProject(t, { 'compose.yaml': 'services:\n  a:\n    image: alpine\n    networks: [missing]\n' });
  assert.equal((await gantry(['config', '-q'], { cwd: dir })).exitCode, 1);
  const r = await gantry(['config', '--no-consistency', '--services'], { cwd: dir });
  assert.deepEqual([r.exitCode, r.stdout], [0, 'a\n']);
});

test('a YAML syntax error is one line with its position', async (t) => {
  const dir = tempProject(t, { 'compose.yaml': 'services:\n  a: [unclosed\n' });
  const r = await gantry(['config'], { cwd: dir });
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.ok(r.stderr.startsWith('compose.yaml:3:'), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('bad usage exits 2; unsupported options exit 1', async () => {
  const format = await gantry(['-f', HELLO, 'config', '--format', 'xml']);
  assert.deepEqual([format.exitCode, format.stderr], [2, 'unknown format "xml" (yaml or json)\n']);
  const flag = await gantry(['-f', HELLO, 'config', '--no-such-flag']);
  assert.equal(flag.exitCode, 2);
  const digests = await gantry(['-f', HELLO, 'config', '--resolve-image-digests']);
  assert.deepEqual(
    [digests.exitCode, digests.stderr],
    [1, 'config --resolve-image-digests: not supported by gantry yet\n'],
  );
});
