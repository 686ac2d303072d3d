// The reaper: a test process killed with -9 while its environment runs leaves nothing behind; the
// watchdog takes the environment down within 10 s (containers, networks, netns, cgroups, mounts,
// processes, state). With keep: true it stays.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { snapshotHost } from '../helpers/host-snapshot.ts';
import { leaksAfter, scopeOf, STACK } from './api-helpers.ts';

const e = await e2eRoot((fn) => after(fn));
const dir = e.project('reaped', { 'compose.yaml': STACK });
const CHILD = join(import.meta.dirname, '..', 'helpers', 'api-reaper-child.ts');

/** Starts the child, resolves with its pid and project once its environment is up. */
function startChild(keep: boolean): Promise<{ pid: number; project: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, join(dir, 'compose.yaml'), e.root, keep ? 'keep' : ''],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the child exited with ${code} before its environment was up`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /^up (\S+)$/.exec(l);
      if (m) resolve({ pid: child.pid!, project: m[1]! });
    });
  });
}

const running = async (project: string): Promise<string[]> =>
  (await e.gantry(['-f', join(dir, 'compose.yaml'), '-p', project, 'ps', '-q'])).stdout.split('\n').filter(Boolean);

test('kill -9 of the test process: its environment is gone within 10 s, nothing left on the host', async (t) => {
  const before = snapshotHost({ root: e.root, networkIds: [], containers: [] });
  const { pid, project } = await startChild(false);
  assert.equal((await running(project)).length, 2);
  const killed = Date.now();
  process.kill(pid, 'SIGKILL');
  const leaks = await leaksAfter(before, scopeOf(e.root, project), project, 10_000);
  t.diagnostic(`environment gone ${Date.now() - killed} ms after the kill`);
  assert.deepEqual(leaks, [], `after ${Date.now() - killed} ms`);
  assert.ok(Date.now() - killed <= 10_500, `gone after ${Date.now() - killed} ms`);
  assert.deepEqual(await running(project), []);
});

test('keep: true leaves the environment of a killed process running', async () => {
  const { pid, project } = await startChild(true);
  process.kill(pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 3_000));
  try {
    assert.equal((await running(project)).length, 2);
  } finally {
    await e.gantry(['-f', join(dir, 'compose.yaml'), '-p', project, 'down', '-v', '-t', '1']);
  }
});
