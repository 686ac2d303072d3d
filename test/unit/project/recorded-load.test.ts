// A project read from its record (project/recorded-load.ts) is exactly the model a full load gives, and
// any change to what the load read makes the next load a full one: a compose file edited in place with
// its size kept, a variable it names, a .env file, a service's env_file, an included file, a new override
// file beside it, a profile (option or COMPOSE_PROFILES). A variable no file names changes nothing but
// the model's environment, which is rebuilt from the current one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadProjectRecorded } from '../../../src/project/recorded-load.ts';
import { loadProject, type LoadOptions } from '../../../src/project/index.ts';
import type { Project } from '../../../src/project/model.ts';

const COMPOSE = `services:
  web:
    image: busybox:\${TAG}
    env_file: [web.env]
  extra:
    image: busybox
    profiles: [extra]
include: [inc.yaml]
`;

/** The records' inodes: a full load replaces its record (a new inode), a load from it leaves it alone. */
function recordState(dir: string): string {
  const records = join(dir, 'records');
  if (!existsSync(records)) return 'none';
  return readdirSync(records)
    .map((f) => `${f}:${statSync(join(records, f)).ino}`)
    .join(' ');
}

test('a recorded project is the full load until an input changes; each change is a full load', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-recorded-load-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const records = join(dir, 'records');
  mkdirSync(records);
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  write('compose.yaml', COMPOSE);
  write('.env', 'TAG=1.36\n');
  write('web.env', 'A=1\n');
  write('inc.yaml', 'services:\n  side:\n    image: busybox:${TAG}\n');
  const base = { PATH: '/usr/bin', HOME: '/root', UNRELATED: 'x' };
  const options = (environment: Record<string, string>, more: Partial<LoadOptions> = {}): LoadOptions => ({
    files: [],
    envFiles: [],
    profiles: [],
    environment,
    workingDir: dir,
    ...more,
  });

  // Each step: the load's model must equal a full load's; `full` says whether it was one.
  let last = recordState(dir);
  const load = async (env: Record<string, string>, full: boolean, more: Partial<LoadOptions> = {}) => {
    const o = options(env, more);
    const got = await loadProjectRecorded(o, records);
    const now = recordState(dir);
    assert.equal(now !== last, full, full ? 'expected a full load (record rewritten)' : 'expected the record');
    last = now;
    assert.deepEqual(got, await loadProject(o));
    return got;
  };
  // A change is recorded only once its inputs are older than the racy window (100 ms).
  const settle = () => sleep(150);

  await settle();
  await load(base, true);
  const held: Project = await load(base, false);
  assert.equal(held.services['web']?.image, 'busybox:1.36');

  // A variable no file names: the record holds; the model's environment is the current one.
  const other = await load({ ...base, UNRELATED: 'y', NEW_ONE: 'z' }, false);
  assert.equal(other.environment['NEW_ONE'], 'z');
  assert.equal(other.environment['TAG'], '1.36');

  // The compose file edited in place, its size kept.
  write('compose.yaml', COMPOSE.replace('busybox:${TAG}', 'busyboy:${TAG}'));
  await settle();
  assert.equal((await load(base, true)).services['web']?.image, 'busyboy:1.36');
  await load(base, false);

  // A variable the files name (the shell wins over .env).
  assert.equal((await load({ ...base, TAG: '1.37' }, true)).services['web']?.image, 'busyboy:1.37');
  await load({ ...base, TAG: '1.37' }, false);
  await load(base, true);

  // The .env file, a service's env_file, an included file.
  write('.env', 'TAG=1.38\n');
  await settle();
  assert.equal((await load(base, true)).services['side']?.image, 'busybox:1.38');
  write('web.env', 'A=2\n');
  await settle();
  assert.equal((await load(base, true)).services['web']?.environment['A'], '2');
  write('inc.yaml', 'services:\n  side:\n    image: busybox:${TAG}-x\n');
  await settle();
  assert.equal((await load(base, true)).services['side']?.image, 'busybox:1.38-x');
  await load(base, false);

  // Profiles: by option (another record) and by COMPOSE_PROFILES (this one's input).
  assert.ok((await load(base, true, { profiles: ['extra'] })).services['extra']);
  await load(base, false, { profiles: ['extra'] });
  assert.ok((await load({ ...base, COMPOSE_PROFILES: 'extra' }, true)).services['extra']);
  await load({ ...base, COMPOSE_PROFILES: 'extra' }, false);

  // A new override file beside the compose file.
  write('compose.override.yaml', 'services:\n  web:\n    image: busybox:override\n');
  await settle();
  assert.equal((await load(base, true)).services['web']?.image, 'busybox:override');
  await load(base, false);
});

test('an input changed within the racy window is not recorded: the next load is full again', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-recorded-load-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
  const o: LoadOptions = { files: [], envFiles: [], profiles: [], environment: {}, workingDir: dir };
  const records = join(dir, 'records');
  mkdirSync(records);
  // Its time set ahead: "just now" whatever the load (a loaded machine's first load took longer than the 100 ms
  // window, so a plain write had aged out of it before the record was made).
  const compose = join(dir, 'compose.yaml');
  utimesSync(compose, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
  await loadProjectRecorded(o, records);
  assert.equal(recordState(dir), '', 'a record of a file written just now');
  utimesSync(compose, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  await sleep(150); // its ctime (set by utimes) out of the window too
  await loadProjectRecorded(o, records);
  assert.notEqual(recordState(dir), '', 'no record once the file is older');
});

test('a rebuilt gantry (its code file changed) rewrites the project record, it does not add one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-recorded-load-'));
  const code = fileURLToPath(new URL('../../../src/project/recorded-load.ts', import.meta.url));
  const { atime, mtime } = statSync(code);
  t.after(() => {
    utimesSync(code, atime, mtime);
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
  utimesSync(join(dir, 'compose.yaml'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  await sleep(150); // out of the racy window (its ctime too)
  const o: LoadOptions = { files: [], envFiles: [], profiles: [], environment: {}, workingDir: dir };
  const records = join(dir, 'records');
  mkdirSync(records);
  await loadProjectRecorded(o, records);
  const first = recordState(dir);
  assert.equal(readdirSync(records).length, 1);
  utimesSync(code, atime, new Date(mtime.getTime() + 1_000)); // as a new build would leave it
  await loadProjectRecorded(o, records);
  assert.notEqual(recordState(dir), first, 'the record is written again for the new code');
  assert.equal(readdirSync(records).length, 1, 'one record per project, whatever the build');
});

test('records past 64 are pruned oldest first when a load writes one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-recorded-load-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n');
  utimesSync(join(dir, 'compose.yaml'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  await sleep(150); // out of the racy window (its ctime too)
  const records = join(dir, 'records');
  mkdirSync(records);
  // 70 records of projects deleted long ago, the first the oldest; and a file that is no record.
  const stale = Array.from({ length: 70 }, (_, i) => `${i.toString(16).padStart(16, '0')}.json`);
  stale.forEach((name, i) => {
    writeFileSync(join(records, name), '{}');
    const when = new Date(Date.now() - 86_400_000 + i * 1_000);
    utimesSync(join(records, name), when, when);
  });
  writeFileSync(join(records, 'notes.txt'), 'kept');
  const o: LoadOptions = { files: [], envFiles: [], profiles: [], environment: {}, workingDir: dir };
  await loadProjectRecorded(o, records);
  const left = readdirSync(records);
  assert.equal(left.filter((n) => n.endsWith('.json')).length, 64);
  assert.ok(left.includes('notes.txt'));
  assert.deepEqual(
    stale.filter((n) => !left.includes(n)),
    stale.slice(0, 7),
    'the seven oldest went, the new record stayed',
  );
});
