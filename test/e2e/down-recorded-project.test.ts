// A warm `gantry down` reads its project from the state root's record (project/recorded-load.ts, as exec)
// and never reads the project loader's file (dist/gantry-part-project.cjs: YAML, validator,
// normalizers); the first down, and every down after an input changed, loads the project in full.
// A stale model would take down the wrong project: the change below names another one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2eRoot } from '../helpers/engine-e2e.ts';
import { runSeen } from '../helpers/bundles-seen.ts';

const IMG = 'gantry-test/busybox:latest';
const LOADER = 'gantry-part-project.cjs';

test('a warm down reads the project record, not the loader; a changed file is a full load', async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const name = `e2e${process.pid}dr`;
  // Flow style: both versions of the file are the same size (an edit that keeps size and maybe mtime).
  const compose = (suffix: string) =>
    `name: ${name}${suffix}\nservices: {app: {image: "${IMG}", init: true, command: [sleep, "600"]}}\n`;
  const dir = e.project(name, { 'compose.yaml': compose('a') });
  const records = join(e.root, 'project-records');
  const running = (project: string) =>
    readdirSync(join(e.root, 'containers')).some((c) => c.startsWith(`${project}-app-`));
  const up = async () => assert.equal((await e.gantry(['up', '-d'], { cwd: dir })).exitCode, 0);
  const down = () => {
    const r = runSeen(['down', '-t', '1'], dir, e.env, e.root);
    assert.equal(r.status, 0, r.stderr);
    // down's own records (up keeps one of its own beside them: the bundle's file is in each record's key).
    const own = existsSync(records)
      ? readdirSync(records).filter((f) => readFileSync(join(records, f), 'latin1').includes('gantry-down.cjs'))
      : [];
    return { loader: r.seen.includes(LOADER), records: own.length };
  };
  // An input is recorded once older than the racy window (100 ms).
  const settle = () => sleep(150);

  await up();
  await settle();
  assert.deepEqual(down(), { loader: true, records: 1 }, 'the first down');
  assert.equal(running(`${name}a`), false);
  await up();
  assert.deepEqual(down(), { loader: false, records: 1 }, 'a warm down');
  assert.equal(running(`${name}a`), false, 'a warm down left the container');

  // The compose file edited in place, its size kept: it names another project, which is not up.
  await up();
  writeFileSync(join(dir, 'compose.yaml'), compose('b'));
  await settle();
  assert.deepEqual(down(), { loader: true, records: 1 }, 'compose.yaml edited');
  assert.equal(running(`${name}a`), true, 'the down of the edited file took down the old project');
  writeFileSync(join(dir, 'compose.yaml'), compose('a'));
  await settle();
  assert.deepEqual(down(), { loader: true, records: 1 }, 'compose.yaml restored');
  assert.equal(running(`${name}a`), false);
});
