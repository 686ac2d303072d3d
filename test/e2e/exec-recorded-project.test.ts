// A warm `gantry exec` reads its project from the state root's record (project/recorded-load.ts) and
// never reads the project loader's file (dist/gantry-part-project.cjs: YAML, validator,
// normalizers); the first exec, and every exec after an input changed, loads the project in full.
// A stale model would send exec into the wrong project: each change below names another one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { runSeen } from '../helpers/bundles-seen.ts';

const IMG = 'gantry-test/busybox:latest';
const LOADER = 'gantry-part-project.cjs';

test('a warm exec reads the project record, not the loader; each input change is a full load', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}xr`;
  const compose = (suffix: string) =>
    `name: "\${PN:-${name}${suffix}}"\nservices:\n  app:\n    image: ${IMG}\n    init: true\n` +
    `    command: ["sleep", "600"]\n`;
  const dir = e.project(name, { 'compose.yaml': compose('a') });
  const up = await e.gantry(['up', '-d'], { cwd: dir });
  assert.equal(up.exitCode, 0, up.stderr);
  const records = join(e.root, 'project-records');
  // exec's own records (up keeps one of its own beside them: the bundle's file is in each record's key).
  const recordInodes = () =>
    readdirSync(records)
      .filter((f) => readFileSync(join(records, f), 'latin1').includes('gantry-exec-run.cjs'))
      .map((f) => statSync(join(records, f)).ino);
  // An input is recorded once older than the racy window (100 ms).
  const settle = () => sleep(150);

  const exec = (env: NodeJS.ProcessEnv = {}) => {
    const r = runSeen(['exec', '-T', 'app', 'sh', '-c', 'echo in'], dir, { ...e.env, ...env }, e.root);
    return { ok: r.status === 0 && r.stdout === 'in\n', loader: r.seen.includes(LOADER), stderr: r.stderr.trim() };
  };
  const notRunning = { ok: false, loader: true, stderr: 'service "app" is not running' };

  await settle();
  assert.deepEqual(exec(), { ok: true, loader: true, stderr: '' }, 'the first exec');
  const first = recordInodes();
  assert.equal(first.length, 1);
  assert.deepEqual(exec(), { ok: true, loader: false, stderr: '' }, 'a warm exec');
  assert.deepEqual(recordInodes(), first, 'a warm exec rewrote the record');

  // A variable the file names, set in the shell, then in a .env file.
  assert.deepEqual(exec({ PN: `${name}b` }), notRunning, 'PN set');
  assert.deepEqual(exec(), { ok: true, loader: true, stderr: '' }, 'PN unset again');
  writeFileSync(join(dir, '.env'), `PN=${name}b\n`);
  await settle();
  assert.deepEqual(exec(), notRunning, '.env written');
  rmSync(join(dir, '.env'));
  await settle();
  assert.deepEqual(exec(), { ok: true, loader: true, stderr: '' }, '.env removed');

  // The compose file edited in place, its size kept.
  writeFileSync(join(dir, 'compose.yaml'), compose('b'));
  await settle();
  assert.deepEqual(exec(), notRunning, 'compose.yaml edited');
  writeFileSync(join(dir, 'compose.yaml'), compose('a'));
  await settle();
  assert.deepEqual(exec(), { ok: true, loader: true, stderr: '' }, 'compose.yaml restored');
  assert.deepEqual(exec(), { ok: true, loader: false, stderr: '' }, 'warm again');
});
