// Re-running `up`: only the service whose config changed is recreated, orphans are reported and
// removed with --remove-orphans, and a `kill -9`ed `up` leaves a project that `ps` and `down` handle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';
const uniq = (tag: string) => `e2e${process.pid}${tag}`;
const created = (root: string, name: string): string =>
  (JSON.parse(readFileSync(join(root, 'containers', name, 'state.json'), 'utf8')) as { created: string }).created;

const stack = (name: string, bEnv: string, withC = true) => `name: ${name}
services:
  a: {image: ${IMG}, init: true, command: ["sleep", "600"]}
  b: {image: ${IMG}, init: true, command: ["sleep", "600"], environment: {MODE: "${bEnv}"}, depends_on: [a]}
${withC ? `  c: {image: ${IMG}, init: true, command: ["sleep", "600"]}\n` : ''}`;

test('an edit to one service environment recreates only that service; orphans need --remove-orphans', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('rc');
  const dir = e.project(name, { 'compose.yaml': stack(name, 'one') });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const before = {
    a: created(e.root, `${name}-a-1`),
    b: created(e.root, `${name}-b-1`),
    c: created(e.root, `${name}-c-1`),
  };
  const same = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(same.stderr, '', 'nothing to do: no progress lines');
  writeFileSync(join(dir, 'compose.yaml'), stack(name, 'two'));
  const dry = await e.gantry(['up', '-d', '--dry-run'], { cwd: dir });
  assert.match(dry.stdout, new RegExp(`^recreate +${name}-b-1  \\(config hash changed\\)$`, 'm'));
  const again = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(again.exitCode, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`Container ${name}-b-1  Recreated`));
  assert.equal(created(e.root, `${name}-a-1`), before.a);
  assert.equal(created(e.root, `${name}-c-1`), before.c);
  assert.notEqual(created(e.root, `${name}-b-1`), before.b);
  const env = (
    JSON.parse(readFileSync(join(e.root, 'containers', `${name}-b-1`, 'state.json'), 'utf8')) as {
      spec: { process: { env: string[] } };
    }
  ).spec.process.env;
  assert.ok(env.includes('MODE=two'));

  writeFileSync(join(dir, 'compose.yaml'), stack(name, 'two', false));
  const warned = await e.gantry(['up', '-d'], { cwd: dir });
  assert.match(warned.stderr, new RegExp(`orphan containers \\(${name}-c-1\\)`));
  assert.ok(existsSync(join(e.root, 'containers', `${name}-c-1`)));
  const removed = await e.gantry(['up', '-d', '--remove-orphans'], { cwd: dir });
  assert.match(removed.stderr, new RegExp(`Container ${name}-c-1  Removed`));
  assert.equal((await e.gantry(['ps', '-a', '--services'], { cwd: dir })).stdout, 'a\nb\n');
});

test('kill -9 of gantry during up: ps and down still work and leave nothing', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('k9');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  slow: {image: ${IMG}, command: ["sleep", "3"]}
  app:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
    depends_on: {slow: {condition: service_completed_successfully}}
`,
  });
  const child = spawn(process.execPath, [GANTRY_BIN, 'up', '-d'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', GANTRY_ROOT: e.root },
    stdio: 'ignore',
  });
  t.after(() => child.kill('SIGKILL'));
  // Killed once `app` is created (its state written) and waits for `slow`: the lock and a half-made project remain.
  const deadline = Date.now() + 20_000;
  // Containers are created in parallel: wait for both, or `slow` may not exist yet when the kill lands.
  const made = () =>
    ['app', 'slow'].every((s) => existsSync(join(e.root, 'containers', `${name}-${s}-1`, 'state.json')));
  while (!made() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.ok(existsSync(join(e.root, 'projects', name, 'lock')), 'the killed up held the lock');
  const traces = tracesOf(e.root, name);
  const ps = await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir });
  assert.equal(ps.exitCode, 0, ps.stderr);
  assert.deepEqual((JSON.parse(ps.stdout) as { Service: string }[]).map((p) => p.Service).sort(), ['app', 'slow']);
  const down = await e.gantry(['down', '-t', '1'], { cwd: dir, timeoutMs: 30_000 });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(stillThere(traces, e.root), []);
  assert.equal(existsSync(join(e.root, 'projects', name, 'lock')), false);
});
