// `up` starts the project's supervisor before it resolves images and plans (its Node start then
// overlaps that work, issue 20), and an up that fails before its plan runs ends that supervisor:
// no process and no pid file are left, only its log.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

/** Pids of the processes whose command line names dir (pgrep exits 1 when there is none). */
function processesNaming(dir: string): string[] {
  const r = spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean);
}

test('an up that fails on its image ends the supervisor it started ahead', { timeout: 120_000 }, async () => {
  const e = await e2eRoot((fn) => after(fn));
  const yaml = 'name: prewarmfail\nservices:\n  a:\n    image: gantry-test/absent:latest\n    pull_policy: never\n';
  const dir = e.project('prewarmfail', { 'compose.yaml': yaml });
  const up = await e.gantry(['up', '-d', '--progress', 'quiet'], { cwd: dir });
  assert.equal(up.exitCode, 1, up.stderr);
  assert.match(up.stderr, /gantry-test\/absent:latest is not present/);
  const files = join(e.root, 'projects', 'prewarmfail');
  // Started before the image was looked up: its log exists although nothing was ever supervised.
  assert.ok(existsSync(join(files, 'supervisor.log')), 'no supervisor was started ahead of the images');
  // Ended before up returned: terminate() waits for the process to be gone.
  assert.deepEqual(processesNaming(files), [], 'a supervisor outlived the failed up');
  assert.equal(existsSync(join(files, 'supervisor.pid')), false);
});
