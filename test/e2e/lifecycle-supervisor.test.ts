// stop / restart and the supervisor: a stopped service leaves the project's DNS, a restarted one
// is adopted again — health back to starting, then healthy; its name resolves again.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, sleep, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

test('restart: the supervisor re-adopts the container (health, DNS); stop drops its DNS name', async () => {
  const name = uniq('sv');
  const dir = e.project(name, {
    // db is healthy 8 s into each run: its marker file is removed at start, so every run starts over.
    // (3 s was too short on a loaded machine to see "starting" after `restart` returned.)
    'compose.yaml': `name: ${name}
services:
  db: {image: ${IMG}, init: true, healthcheck: {test: [CMD, test, -f, /tmp/ready], interval: 200ms, retries: 50},
       command: [sh, -c, "rm -f /tmp/ready; sleep 8; touch /tmp/ready; exec sleep 600"]}
  app: {image: ${IMG}, init: true, command: [sleep, "600"]}
`,
  });
  const g = (...args: string[]) => e.gantry(args, { cwd: dir });
  const resolves = async () => (await g('container', 'exec', `${name}-app-1`, 'nslookup', 'db')).exitCode === 0;
  const eventually = async (want: boolean) => {
    const end = Date.now() + 60_000;
    while ((await resolves()) !== want && Date.now() < end) await sleep(200);
    return resolves();
  };
  const health = async () => (await psAll(e, dir)).find((r) => r.Service === 'db')?.Health;
  const up = await g('up', '-d', '--wait');
  assert.equal(up.exitCode, 0, up.stderr);
  assert.equal(await health(), 'healthy');
  assert.equal(await eventually(true), true);

  assert.equal((await g('stop', '-t', '2', 'db')).exitCode, 0);
  assert.equal(await eventually(false), false, 'a stopped service has no DNS record');
  assert.equal(await health(), '');

  const restart = await g('restart', 'db');
  assert.equal(restart.exitCode, 0, restart.stderr);
  assert.equal(await health(), 'starting', 'a new run starts over (its ready file was removed)');
  const end = Date.now() + 60_000;
  while ((await health()) !== 'healthy' && Date.now() < end) await sleep(200);
  assert.equal(await health(), 'healthy');
  assert.equal(await eventually(true), true, 'the restarted service resolves again');
});
