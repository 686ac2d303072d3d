// What needs the per-project supervisor through the CLI: health checks gating depends_on,
// published ports and service DNS in the web-worker-kv example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const uniq = (tag: string) => `e2e${process.pid}${tag}`;
const EXAMPLE = fileURLToPath(new URL('../../examples/web-worker-kv/compose.yaml', import.meta.url));

test('service_healthy: the dependent starts only once its dependency is healthy; an unhealthy one fails up', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('hl');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  db:
    image: ${IMG}
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 600"]
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 200ms, retries: 20}
  app:
    image: ${IMG}
    init: true
    command: ["sleep", "600"]
    depends_on: {db: {condition: service_healthy}}
  bad:
    image: ${IMG}
    init: true
    profiles: [bad]
    command: ["sleep", "600"]
    healthcheck: {test: ["CMD", "false"], interval: 100ms, retries: 2}
  needsbad:
    image: ${IMG}
    profiles: [bad]
    command: ["sleep", "600"]
    depends_on: {bad: {condition: service_healthy}}
`,
  });
  const up = await e.gantry(['up', '-d', '--wait'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const ps = JSON.parse((await e.gantry(['ps', '--format', 'json'], { cwd: dir })).stdout) as {
    Service: string;
    Health: string;
  }[];
  assert.equal(ps.find((p) => p.Service === 'db')?.Health, 'healthy');
  const bad = await e.gantry(['--profile', 'bad', 'up', '-d'], { cwd: dir });
  assert.equal(bad.exitCode, 1);
  assert.match(bad.stderr, /service needsbad: start \S+: dependency bad is unhealthy/);
});

test('the web-worker-kv example answers on its published port', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  // A copy, so the root's cleanup (`down -v` in each project dir) takes it down too.
  const dir = e.project('web-worker-kv', { 'compose.yaml': readFileSync(EXAMPLE, 'utf8') });
  cpSync(join(dirname(EXAMPLE), 'kv'), join(dir, 'kv'), { recursive: true });
  const up = await e.gantry(['up', '-d', '--wait'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  await new Promise((r) => setTimeout(r, 1500));
  const page = await (await fetch('http://127.0.0.1:8080/')).text();
  assert.match(page, /the worker has ticked \d+ times/);
});
