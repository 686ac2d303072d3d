// Restart policies through the CLI: `always` and `unless-stopped` restart a crashing service
// (counted in the supervisor's health file, several runs in `logs`), `on-failure:2` gives up
// after two restarts with its exit code, `no` stays exited, and nothing comes back after `down`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const uniq = (tag: string) => `e2e${process.pid}${tag}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The supervisor's record of how often it restarted a container (0 before its first save). */
function restartsOf(root: string, project: string, id: string): number {
  try {
    return (
      JSON.parse(readFileSync(join(root, 'projects', project, 'health', `${id}.json`), 'utf8')) as {
        restartCount: number;
      }
    ).restartCount;
  } catch {
    return 0;
  }
}

interface PsRow {
  Service: string;
  State: string;
  ExitCode: number;
}

test('restart policies: always and unless-stopped restart, on-failure:2 stops after 2, no stays exited, down ends it', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = uniq('rs');
  const crash = (word: string, code: number) => `["sh", "-c", "echo ${word}; sleep 0.2; exit ${code}"]`;
  const dir = e.project(name, {
    'compose.yaml': `name: ${name}
services:
  always: {image: ${IMG}, restart: always, command: ${crash('run-always', 1)}}
  onfail: {image: ${IMG}, restart: "on-failure:2", command: ${crash('run-onfail', 4)}}
  never: {image: ${IMG}, restart: "no", command: ${crash('run-never', 5)}}
  unless: {image: ${IMG}, restart: unless-stopped, command: ${crash('run-unless', 1)}}
`,
  });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const id = (svc: string) => `${name}-${svc}-1`;
  // on-failure:2 needs 3 runs of 0.2 s and back-offs of 0.1 + 0.2 s; give it a generous bound.
  const deadline = Date.now() + 60_000;
  let ps: PsRow[] = [];
  for (;;) {
    ps = JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as PsRow[];
    const onfail = ps.find((p) => p.Service === 'onfail');
    const done =
      restartsOf(e.root, name, id('onfail')) === 2 &&
      onfail?.State === 'exited' &&
      restartsOf(e.root, name, id('always')) >= 2 &&
      restartsOf(e.root, name, id('unless')) >= 2;
    if (done || Date.now() > deadline) break;
    await sleep(100);
  }
  // Past the next back-off (≤ 0.4 s): on-failure must not have started a third restart.
  await sleep(600);
  ps = JSON.parse((await e.gantry(['ps', '-a', '--format', 'json'], { cwd: dir })).stdout) as PsRow[];
  const row = (svc: string) => ps.find((p) => p.Service === svc);
  assert.equal(restartsOf(e.root, name, id('onfail')), 2);
  assert.deepEqual([row('onfail')?.State, row('onfail')?.ExitCode], ['exited', 4]);
  assert.deepEqual([row('never')?.State, row('never')?.ExitCode], ['exited', 5]);
  assert.equal(restartsOf(e.root, name, id('never')), 0);
  assert.ok(
    restartsOf(e.root, name, id('always')) >= 2,
    `always restarted ${restartsOf(e.root, name, id('always'))} times`,
  );
  assert.ok(
    restartsOf(e.root, name, id('unless')) >= 2,
    `unless-stopped restarted ${restartsOf(e.root, name, id('unless'))} times`,
  );

  const logs = (await e.gantry(['logs', '--no-color', '--no-log-prefix'], { cwd: dir })).stdout;
  const runs = (word: string) => logs.split('\n').filter((l) => l === word).length;
  assert.ok(runs('run-always') >= 3, logs);
  assert.equal(runs('run-onfail'), 3, logs);
  assert.equal(runs('run-never'), 1, logs);

  // After `down` nothing is restarted: no container, process or cgroup comes back.
  const traces = tracesOf(e.root, name);
  const down = await e.gantry(['down', '-t', '1'], { cwd: dir });
  assert.equal(down.exitCode, 0, down.stderr);
  await sleep(800);
  assert.deepEqual(stillThere(traces, e.root), []);
  assert.equal((await e.gantry(['ps', '-a', '-q'], { cwd: dir })).stdout, '');
});
