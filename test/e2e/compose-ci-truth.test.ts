// CI truthfulness, from the CLI: health belongs to the container instance (a recreated container
// starts `starting` with no probe history of its predecessor; rm drops it), and a failed `up`
// keeps the containers it made, stopped, so `logs` shows why; its error carries the probe's
// output or the exit code and the container's last log lines. `down` then leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { IMG, psAll, uniq } from './lifecycle-helpers.ts';

interface Health {
  status: string;
  log: { exitCode: number }[];
  restartCount: number;
}

test('a recreated container has its own health; rm drops it', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('hi');
  const file = (probe: string, every: string) => `name: ${name}
services:
  app:
    image: ${IMG}
    command: ["sleep", "3600"]
    init: true
    healthcheck: {test: ["CMD", "${probe}"], interval: ${every}, start_interval: ${every}, start_period: 60s}
`;
  const dir = e.project(name, { 'compose.yaml': file('true', '200ms') });
  const healthFile = join(e.root, 'projects', name, 'health', `${name}-app-1.json`);
  const health = (): Health => JSON.parse(readFileSync(healthFile, 'utf8')) as Health;
  const up = await e.gantry(['up', '-d', '--wait'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  assert.equal(health().status, 'healthy');
  assert.ok(health().log.some((l) => l.exitCode === 0));

  // The successor's first probe is 60 s away: whatever its file holds now, it did not earn.
  writeFileSync(join(dir, 'compose.yaml'), file('false', '60s'));
  const again = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(again.exitCode, 0, `${again.stderr}|${again.stdout}`);
  assert.equal((await psAll(e, dir))[0]?.Health, 'starting');
  assert.deepEqual(
    [health().status, health().log, health().restartCount],
    ['starting', [], 0],
    'no probe history inherited',
  );

  assert.equal((await e.gantry(['stop', '-t', '1', 'app'], { cwd: dir })).exitCode, 0);
  const rm = await e.gantry(['rm', '-f', 'app'], { cwd: dir });
  assert.equal(rm.exitCode, 0, rm.stderr);
  assert.equal(existsSync(healthFile), false, "rm removes the instance's health");
});

test('a failed up keeps its containers stopped, says why in one error, and down removes them', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('fu');
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  db:
    image: ${IMG}
    command: ["sh", "-c", "echo db-booting; echo db-cannot-open-datadir; sleep 3600"]
    init: true
    healthcheck: {test: ["CMD-SHELL", "echo probe-says-no; exit 1"], interval: 200ms, retries: 2}
  web: {image: ${IMG}, command: ["sleep", "3600"], init: true, depends_on: {db: {condition: service_healthy}}}
  job: {image: ${IMG}, command: ["sh", "-c", "echo job-step-1; echo job-failed-on-x; exit 3"]}
`,
  });
  const up = await e.gantry(['up', '-d', 'web'], { cwd: dir });
  assert.equal(up.exitCode, 1, up.stderr);
  const err = up.stderr.trim().split('\n').at(-1)!;
  assert.match(err, /dependency db is unhealthy \(probe-says-no\)/);
  assert.match(err, /db-cannot-open-datadir/, 'the last log lines are in the error');
  const rows = await psAll(e, dir);
  assert.deepEqual(
    rows.map((r) => [r.Service, r.State]).sort(),
    [
      ['db', 'exited'],
      ['web', 'created'],
    ],
    'kept, stopped',
  );
  const logs = await e.gantry(['logs', '--no-log-prefix', 'db'], { cwd: dir });
  assert.match(logs.stdout, /db-cannot-open-datadir/);

  const job = await e.gantry(['up', '-d', '--wait', 'job'], { cwd: dir });
  assert.equal(job.exitCode, 1, job.stderr);
  assert.match(
    job.stderr,
    new RegExp(`container ${name}-job-1 exited with code 3 \\(last log lines: "job-step-1" / "job-failed-on-x"\\)`),
  );

  const down = await e.gantry(['down', '-t', '1'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  assert.deepEqual(await psAll(e, dir), []);
});
