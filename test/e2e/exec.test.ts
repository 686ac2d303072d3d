// `gantry exec` through the built CLI: Docker's env/user/workdir defaults and their flags, the
// command's exit code as gantry's, --index among replicas, -d, --privileged, stdin, a TTY only
// when stdin is a terminal (and never with -T), and Compose's error for a service not running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { gantryOnTty } from '../helpers/tty.ts';

const IMG = 'gantry-test/busybox:latest';
const uniq = (tag: string) => `e2e${process.pid}${tag}`;
const capEff = (status: string): bigint => BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(status)![1]}`);

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('exec: defaults and flags, exit codes, --index, -d, --privileged, stdin, TTY, not running', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('ex');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  app:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
    user: "1000"
    working_dir: /tmp
    environment: {A: from-service, B: from-service}
    deploy: {replicas: 2}
  idle:
    image: ${IMG}
    command: ["sleep", "600"]
`,
  });
  const x = (args: string[], input?: string) =>
    e.gantry(['exec', ...args], { cwd: dir, ...(input !== undefined ? { input } : {}) });

  const early = await x(['app', 'true']);
  assert.deepEqual([early.exitCode, early.stderr.trim()], [1, 'service "app" is not running']);
  const up = await e.gantry(['up', '-d', 'app'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);

  // The container's env, user and working dir by default; -e replaces one key, -u / -w override.
  const plain = await x(['-T', 'app', 'sh', '-c', 'echo "$A $B $(id -u) $(pwd)"']);
  assert.deepEqual([plain.exitCode, plain.stdout], [0, 'from-service from-service 1000 /tmp\n']);
  const flags = await x([
    '-T',
    '-e',
    'B=from-flag',
    '-e',
    'C=new',
    '-u',
    '0',
    '-w',
    '/etc',
    'app',
    'sh',
    '-c',
    'echo "$A $B $C $(id -u) $(pwd)"',
  ]);
  assert.deepEqual([flags.exitCode, flags.stdout], [0, 'from-service from-flag new 0 /etc\n']);

  // The command's exit code is ours; a missing program is 127, as with Docker.
  assert.equal((await x(['-T', 'app', 'sh', '-c', 'exit 7'])).exitCode, 7);
  const missing = await x(['-T', 'app', 'no-such-program']);
  assert.equal(missing.exitCode, 127);
  assert.match(missing.stderr, /no-such-program/);

  // stdin reaches the command.
  assert.equal((await x(['-T', 'app', 'cat'], 'piped input\n')).stdout, 'piped input\n');

  // --index: replica 2's own filesystem gets the file, replica 1's does not.
  assert.equal((await x(['-T', '--index', '2', '-u', '0', 'app', 'touch', '/index-marker'])).exitCode, 0);
  assert.ok(existsSync(join(e.root, 'containers', `${name}-app-2`, 'upper', 'index-marker')));
  assert.ok(!existsSync(join(e.root, 'containers', `${name}-app-1`, 'upper', 'index-marker')));
  const none = await x(['--index', '3', 'app', 'true']);
  assert.deepEqual([none.exitCode, none.stderr.trim()], [1, 'service "app" is not running container #3']);

  // -d returns at once; the command goes on in the container.
  const t0 = Date.now();
  const detached = await x(['-d', 'app', 'sh', '-c', 'sleep 1; echo later > /tmp/detached']);
  assert.deepEqual([detached.exitCode, detached.stdout], [0, '']);
  assert.ok(Date.now() - t0 < 30_000);
  await until(
    'the detached command',
    async () => (await x(['-T', 'app', 'cat', '/tmp/detached'])).stdout === 'later\n',
  );

  // --privileged: more than the container's capabilities, and never more than gantry holds.
  const normal = capEff((await x(['-T', 'app', 'cat', '/proc/self/status'])).stdout);
  const privileged = capEff((await x(['-T', '--privileged', '-u', '0', 'app', 'cat', '/proc/self/status'])).stdout);
  const own = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
  assert.ok(privileged > normal && (privileged & ~own) === 0n, `${privileged.toString(16)} vs ${normal.toString(16)}`);
  assert.ok((privileged & (1n << 21n)) !== 0n, 'CAP_SYS_ADMIN');

  // A TTY when stdin is a terminal (and TERM set), none with -T, none from a pipe.
  const probe = ['app', 'sh', '-c', '[ -t 0 ] && [ -t 1 ] && echo "tty TERM=$TERM" || echo no-tty'];
  const tty = await gantryOnTty(['exec', ...probe], { cwd: dir, env: e.env });
  assert.equal(tty.exitCode, 0);
  assert.match(tty.output, /tty TERM=xterm/);
  assert.match((await gantryOnTty(['exec', '-T', ...probe], { cwd: dir, env: e.env })).output, /no-tty/);
  assert.equal((await x(probe)).stdout, 'no-tty\n');
  assert.equal((await gantryOnTty(['exec', 'app', 'sh', '-c', 'exit 5'], { cwd: dir, env: e.env })).exitCode, 5);

  // A service that exists but has no container, and one that does not exist: Compose's messages.
  const idle = await x(['idle', 'true']);
  assert.deepEqual([idle.exitCode, idle.stderr.trim()], [1, 'service "idle" is not running']);
  const unknown = await x(['nope', 'true']);
  assert.deepEqual([unknown.exitCode, unknown.stderr.trim()], [1, 'no such service: nope']);
});
