// Attached `up`: the containers' output is streamed with `service-N  | ` prefixes, and Ctrl-C
// (SIGINT) stops the stack gracefully (containers exited, not removed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { GANTRY_BIN } from '../helpers/cli.ts';

const IMG = 'gantry-test/busybox:latest';

test('attached up streams prefixed logs; SIGINT stops the containers', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}att`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  talker: {image: ${IMG}, init: true, command: ["sh", "-c", "echo hello from talker; exec sleep 600"]}
  other: {image: ${IMG}, init: true, command: ["sh", "-c", "echo other says hi; exec sleep 600"]}
`,
  });
  const child = spawn(process.execPath, [GANTRY_BIN, 'up'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', GANTRY_ROOT: e.root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', () => undefined);
  const deadline = Date.now() + 20_000;
  while (
    !(out.includes('talker-1  | hello from talker') && out.includes('other-1   | other says hi')) &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(out, /^talker-1 {2}\| hello from talker$/m);
  assert.match(out, /^other-1 {3}\| other says hi$/m);
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
  const ps = JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as { State: string }[];
  assert.deepEqual(
    ps.map((p) => p.State),
    ['exited', 'exited'],
  );
});

test('down --rmi all removes the images the services used', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}rmi`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}\nservices:\n  a: {image: ${IMG}, command: ["true"]}\n`,
  });
  assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const down = await e.gantry(['down', '--rmi', 'all'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.doesNotMatch((await e.gantry(['image', 'ls'])).stdout, /gantry-test\/busybox/);
  assert.equal((await e.gantry(['down', '--rmi', 'some'], { cwd: dir })).exitCode, 2);
});
