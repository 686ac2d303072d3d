// A project by its name alone, as Compose: `-p NAME` with no compose file in reach, `ps`, `logs`
// and `down` work from what exists of the project (its containers, networks and volumes); and
// `logs` reads the compose file once (a file given on stdin can only be read once).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { IMG, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

const compose = (name: string): string => `name: ${name}
services:
  web: {image: ${IMG}, command: [sh, -c, "echo hello-from-web; sleep 600"], volumes: [data:/data]}
  db: {image: ${IMG}, command: [sleep, "600"]}
volumes: {data: {}}
`;

test('ps, logs and down -v by project name with no compose file in reach', async () => {
  const name = uniq('byname');
  const dir = e.project(name, { 'compose.yaml': compose(name) });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const traces = tracesOf(e.root, name);
  const elsewhere = join(e.root, 'elsewhere');
  mkdirSync(elsewhere, { recursive: true });
  const g = (args: string[]) => e.gantry(['-p', name, ...args], { cwd: elsewhere });

  const ps = await g(['ps', '--format', 'json']);
  assert.equal(ps.exitCode, 0, ps.stderr);
  const rows = (JSON.parse(ps.stdout) as { Name: string }[]).map((r) => r.Name).sort();
  assert.deepEqual(rows, [`${name}-db-1`, `${name}-web-1`]);

  let logs = await g(['logs', '--no-color', 'web']);
  for (let i = 0; i < 50 && !logs.stdout.includes('hello-from-web'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    logs = await g(['logs', '--no-color', 'web']);
  }
  assert.equal(logs.exitCode, 0, logs.stderr);
  assert.match(logs.stdout, /web-1 +\| hello-from-web/);

  const dry = await g(['down', '--dry-run', '-v']);
  assert.equal(dry.exitCode, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`remove-network +${name}_default`));
  assert.match(dry.stdout, new RegExp(`remove-volume +${name}_data`));

  const down = await g(['down', '-v', '-t', '1']);
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(stillThere(traces, e.root), []);
  assert.equal(existsSync(join(e.root, 'networks', `${name}_default.json`)), false, 'the network went');
  assert.equal(existsSync(join(e.root, 'volumes', `${name}_data`)), false, 'the volume went with -v');

  const again = await g(['ps', '--format', 'json']);
  assert.equal(again.exitCode, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout || '[]'), []);
});

test('without -p and with no compose file, down still says there is none', async () => {
  const bare = join(e.root, 'bare');
  mkdirSync(bare, { recursive: true });
  const r = await e.gantry(['down'], { cwd: bare });
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr, /no configuration file provided/);
});

test('logs reads the compose file once: a file on stdin names the project', async () => {
  const name = uniq('stdinlogs');
  const dir = e.project(name, { 'compose.yaml': compose(name) });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const text = readFileSync(join(dir, 'compose.yaml'), 'utf8');
  const other = join(e.root, 'other-dir');
  mkdirSync(other, { recursive: true });
  let r = await e.gantry(['-f', '-', 'logs', '--no-color', 'web'], { cwd: other, input: text });
  for (let i = 0; i < 50 && !r.stdout.includes('hello-from-web'); i++) {
    await new Promise((res) => setTimeout(res, 100));
    r = await e.gantry(['-f', '-', 'logs', '--no-color', 'web'], { cwd: other, input: text });
  }
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /web-1 +\| hello-from-web/);
  assert.equal((await e.gantry(['down', '-v', '-t', '1'], { cwd: dir })).exitCode, 0);
});
