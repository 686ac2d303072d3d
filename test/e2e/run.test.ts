// `gantry run` through the built CLI: oneoff containers named and labelled as Compose's, the
// dependencies up first (not with --no-deps), flags applied (-e -u -w --entrypoint -v -l --name),
// the exit code passed through, -d / --rm / -d --rm, ports only with --service-ports or -p, the
// service's DNS name only with --use-aliases, `ps -a` and `down --remove-orphans` as Compose,
// SIGTERM passed on to an attached oneoff, --pull.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';
import { gantryOnTty } from '../helpers/tty.ts';

const IMG = 'gantry-test/busybox:latest';
const uniq = (tag: string) => `e2e${process.pid}${tag}`;

interface PsRow {
  Name: string;
  Service: string;
  State: string;
  ExitCode: number;
  Publishers: { URL: string; PublishedPort: number; TargetPort: number }[];
}
const labelsOf = (root: string, name: string): Record<string, string> =>
  (
    JSON.parse(readFileSync(join(root, 'containers', name, 'state.json'), 'utf8')) as {
      spec: { labels: Record<string, string> };
    }
  ).spec.labels;
const containersOf = (root: string, project: string): string[] =>
  existsSync(join(root, 'containers'))
    ? readdirSync(join(root, 'containers'))
        .filter((n) => n.startsWith(`${project}-`))
        .sort()
    : [];

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const STACK = (name: string) => `name: ${name}
services:
  db:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
  app:
    image: ${IMG}
    init: true
    depends_on: [db]
    command: ["sh", "-c", "echo service-command"]
    user: "1000"
    working_dir: /tmp
    environment: {A: from-service, B: from-service}
    labels: {from: service}
    ports: ["80"]
    networks: {default: {aliases: [app-alias]}}
`;

test('run: oneoff name and labels, deps first, flags, exit code, stdin, TTY, ps -a, --rm', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('ra');
  const dir = e.project(name, { 'compose.yaml': STACK(name) });
  mkdirSync(join(dir, 'shared'));
  writeFileSync(join(dir, 'shared', 'note'), 'from the host\n');
  const run = (args: string[], input?: string) =>
    e.gantry(['run', ...args], { cwd: dir, ...(input !== undefined ? { input } : {}) });

  const first = await run(['-T', 'app', 'sh', '-c', 'echo "$A $B $(id -u) $(pwd)"; exit 3']);
  assert.equal(first.exitCode, 3, first.stderr);
  assert.equal(first.stdout, 'from-service from-service 1000 /tmp\n');
  // The dependency was brought up first and stays; the oneoff is the only other container.
  const [oneoff, ...more] = containersOf(e.root, name).filter((n) => n.includes('-run-'));
  assert.match(oneoff ?? '', new RegExp(`^${name}-app-run-[0-9a-f]{12}$`));
  assert.deepEqual(more, []);
  assert.deepEqual(
    containersOf(e.root, name).filter((n) => !n.includes('-run-')),
    [`${name}-db-1`],
  );
  const labels = labelsOf(e.root, oneoff!);
  assert.deepEqual(
    [labels['com.docker.compose.oneoff'], labels['com.docker.compose.service'], labels['com.docker.compose.project']],
    ['True', 'app', name],
  );

  // ps lists oneoffs only with -a (Compose's rule), with their exit code.
  const ps = JSON.parse((await e.gantry(['ps', '--format', 'json'], { cwd: dir })).stdout) as PsRow[];
  assert.deepEqual(
    ps.map((r) => r.Name),
    [`${name}-db-1`],
  );
  const all = JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as PsRow[];
  assert.deepEqual(
    all.map((r) => [r.Name, r.State, r.ExitCode]),
    [
      [oneoff, 'exited', 3],
      [`${name}-db-1`, 'running', 0],
    ],
  );

  // -e -u -w --name -l -v --rm: applied, and the named container is gone afterwards.
  const flagged = await run([
    '--rm',
    '-T',
    '--name',
    `${name}-custom`,
    '-e',
    'B=from-flag',
    '-u',
    '0',
    '-w',
    '/shared',
    '-l',
    'from=flag',
    '-v',
    './shared:/shared:ro',
    'app',
    'sh',
    '-c',
    'echo "$A $B $(id -u) $(pwd)"; cat note; touch x 2>/dev/null || echo read-only',
  ]);
  assert.equal(flagged.exitCode, 0, flagged.stderr);
  assert.equal(flagged.stdout, 'from-service from-flag 0 /shared\nfrom the host\nread-only\n');
  assert.ok(!existsSync(join(e.root, 'containers', `${name}-custom`)), '--rm removed it');

  // --entrypoint without a command drops the service's command; the command is its argument.
  const entry = await run(['--rm', '-T', '--entrypoint', 'echo entry', 'app']);
  assert.deepEqual([entry.exitCode, entry.stdout], [0, 'entry\n']);
  const entryArgs = await run(['--rm', '-T', '--entrypoint', 'echo', 'app', 'given', 'args']);
  assert.equal(entryArgs.stdout, 'given args\n');
  // No command: the service's own.
  assert.equal((await run(['--rm', '-T', 'app'])).stdout, 'service-command\n');

  // stdin reaches the oneoff; a terminal gets a TTY, -T none.
  assert.equal((await run(['--rm', '-T', 'app', 'cat'], 'through stdin\n')).stdout, 'through stdin\n');
  const probe = ['app', 'sh', '-c', '[ -t 0 ] && [ -t 1 ] && echo has-tty || echo no-tty; exit 4'];
  const tty = await gantryOnTty(['run', '--rm', ...probe], { cwd: dir, env: e.env });
  assert.equal(tty.exitCode, 4);
  assert.match(tty.output, /has-tty/);
  assert.match((await gantryOnTty(['run', '--rm', '-T', ...probe], { cwd: dir, env: e.env })).output, /no-tty/);

  // A program that cannot be started: Docker's 127, and the container kept (no --rm).
  const missing = await run(['-T', '--name', `${name}-missing`, 'app', 'no-such-program']);
  assert.equal(missing.exitCode, 127);
  assert.match(missing.stderr, /no-such-program/);
  assert.ok(existsSync(join(e.root, 'containers', `${name}-missing`)));

  // A name in use is refused, and the container holding it is left alone.
  const taken = await run(['-T', '--name', `${name}-db-1`, 'app', 'true']);
  assert.equal(taken.exitCode, 1);
  assert.equal(taken.stderr.trim().split('\n').at(-1), `container name "${name}-db-1" is already in use`);
  assert.equal(labelsOf(e.root, `${name}-db-1`)['com.docker.compose.service'], 'db');
  assert.equal((await e.gantry(['exec', '-T', 'db', 'true'], { cwd: dir })).exitCode, 0, 'db still runs');

  // Bad flags say so (`--build` works now: test/e2e/compose-build-fields.test.ts).
  const badPort = await run(['-p', '80:99999', 'app']);
  assert.deepEqual([badPort.exitCode, /--publish 80:99999/.test(badPort.stderr)], [2, true]);
  const unknown = await run(['nope']);
  assert.deepEqual([unknown.exitCode, unknown.stderr.trim()], [1, 'no such service: nope']);
});

test('run -d / -d --rm / --no-deps; down keeps oneoffs, down --remove-orphans leaves nothing', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('rd');
  const dir = e.project(name, { 'compose.yaml': STACK(name) });

  // --no-deps: db is neither created nor waited for.
  const alone = await e.gantry(['run', '--rm', '-T', '--no-deps', 'app', 'echo', 'alone'], { cwd: dir });
  assert.deepEqual([alone.exitCode, alone.stdout], [0, 'alone\n'], alone.stderr);
  assert.deepEqual(containersOf(e.root, name), []);

  // -d prints the name and leaves it running.
  const d = await e.gantry(['run', '-d', 'app', 'sleep', '600'], { cwd: dir });
  assert.equal(d.exitCode, 0, d.stderr);
  const running = d.stdout.trim();
  assert.match(running, new RegExp(`^${name}-app-run-[0-9a-f]{12}$`));
  const rows = JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as PsRow[];
  assert.equal(rows.find((r) => r.Name === running)?.State, 'running');

  // -d --rm: removed by itself once the program exits.
  const gone = await e.gantry(['run', '-d', '--rm', 'app', 'sleep', '1'], { cwd: dir });
  assert.equal(gone.exitCode, 0, gone.stderr);
  const short = gone.stdout.trim();
  assert.ok(existsSync(join(e.root, 'containers', short)));
  await until(`${short} removed after exit`, () => !existsSync(join(e.root, 'containers', short)));

  // A SIGTERM to an attached gantry run reaches the program; its exit code is ours; --rm still removes it.
  const child = spawn(
    process.execPath,
    [
      GANTRY_BIN,
      'run',
      '--rm',
      '-T',
      '--name',
      `${name}-term`,
      'app',
      'sh',
      '-c',
      'trap "exit 42" TERM; echo ready; while :; do sleep 0.1; done',
    ],
    { cwd: dir, env: e.env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let said = '';
  child.stdout.on('data', (b: Buffer) => (said += b.toString()));
  const termed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  await until('the trapping program to be ready', () => said.includes('ready'), 60_000);
  child.kill('SIGTERM');
  assert.equal(await termed, 42);
  assert.ok(!existsSync(join(e.root, 'containers', `${name}-term`)));

  // --pull: never works with the local image; an unknown policy is a usage error.
  assert.equal((await e.gantry(['run', '--rm', '-T', '--pull', 'never', 'app', 'true'], { cwd: dir })).exitCode, 0);
  assert.equal((await e.gantry(['run', '--pull', 'sometimes', 'app', 'true'], { cwd: dir })).exitCode, 2);

  const exited = await e.gantry(['run', '-T', 'app', 'true'], { cwd: dir });
  assert.equal(exited.exitCode, 0);
  const traces = tracesOf(e.root, name);
  assert.equal(traces.containers.length, 3, JSON.stringify(traces.containers)); // db, the running and the exited oneoff

  // Plain down: the oneoffs stay (and so does the network they use), as in Compose; not an error.
  const down = await e.gantry(['down', '-t', '1'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(
    containersOf(e.root, name).filter((n) => !n.includes('-run-')),
    [],
  );
  assert.equal(containersOf(e.root, name).length, 2);
  // --remove-orphans: the running and the exited oneoff go, with everything they made on the host.
  const orphans = await e.gantry(['down', '--remove-orphans', '-t', '1'], { cwd: dir });
  assert.equal(orphans.exitCode, 0, orphans.stderr);
  assert.deepEqual(containersOf(e.root, name), []);
  assert.deepEqual(stillThere(traces, e.root), []);
});

test('run: no published ports unless --service-ports or -p; DNS names only with --use-aliases', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('rp');
  const dir = e.project(name, { 'compose.yaml': STACK(name) });
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), 'served by the oneoff\n');
  const serve = ['-v', './www:/www:ro', '-u', '0', 'app', 'httpd', '-f', '-p', '80', '-h', '/www'];
  const publishers = async (container: string) =>
    (JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as PsRow[]).find(
      (r) => r.Name === container,
    )!.Publishers;

  const quiet = (await e.gantry(['run', '-d', ...serve], { cwd: dir })).stdout.trim();
  assert.deepEqual(await publishers(quiet), []);
  const svcPorts = (await e.gantry(['run', '-d', '--service-ports', ...serve], { cwd: dir })).stdout.trim();
  const p = (await publishers(svcPorts))[0]!;
  assert.equal(p.TargetPort, 80);
  const flagged = (await e.gantry(['run', '-d', '-p', '127.0.0.1::80', ...serve], { cwd: dir })).stdout.trim();
  const q = (await publishers(flagged))[0]!;
  assert.deepEqual([q.URL, q.TargetPort], ['127.0.0.1', 80]);
  // The published port reaches the oneoff's httpd through the project's proxy.
  let body = '';
  await until('the -p port to answer', async () => {
    body = await fetch(`http://127.0.0.1:${q.PublishedPort}/`).then(
      (r) => r.text(),
      () => '',
    );
    return body !== '';
  });
  assert.equal(body, 'served by the oneoff\n');

  // DNS, asked from db: a oneoff answers to its own name; the service name and aliases only with --use-aliases.
  const lookup = async (host: string) => (await e.gantry(['exec', '-T', 'db', 'nslookup', host], { cwd: dir })).stdout;
  // (polled: the supervisor loads a new container's names a moment after it started)
  await until(`${quiet} to resolve`, async () => new RegExp(`Name:\\s+${quiet}`).test(await lookup(quiet)));
  assert.doesNotMatch(await lookup('app-alias'), /Name:\s+app-alias/);
  const aliased = (await e.gantry(['run', '-d', '--use-aliases', 'app', 'sleep', '600'], { cwd: dir })).stdout.trim();
  assert.match(aliased, /-run-/);
  // Generous: a lookup of a name not (yet) in the project goes to the host's resolvers, and on a
  // host without a reachable one each such nslookup waits out its timeout. On failure the
  // supervisor's view is printed, to tell a slow machine from a missing name.
  await until('the service name to resolve', async () => /Name:\s+app\b/.test(await lookup('app')), 90_000).catch(
    async (err: unknown) => {
      const { execFileSync } = await import('node:child_process');
      const show = (cmd: string) => {
        try {
          return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' });
        } catch (x) {
          return String(x);
        }
      };
      console.log(`# last lookup: ${JSON.stringify(await lookup('app'))}`);
      console.log(
        `# supervisor: ${JSON.stringify(show(`tail -c 2000 ${e.root}/projects/*/supervisor.log; head -c 3000 ${e.root}/projects/*/supervision.json`))}`,
      );
      throw err;
    },
  );
  assert.match(await lookup('app-alias'), /Name:\s+app-alias/);
});
