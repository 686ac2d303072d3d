// `gantry ls` as a user runs it from anywhere: every project of the state root from the
// containers' labels, running ones unless -a, table/json/-q, --filter name=.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { e2eRoot } from '../helpers/engine-e2e.ts';

const IMG = 'gantry-test/busybox:latest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('gantry ls', { timeout: 180_000 }, async (t) => {
  const e = await e2eRoot((fn) => t.after(fn));
  const live = `e2e${process.pid}lsa`;
  const done = `e2e${process.pid}lsb`;
  const liveDir = e.project(live, {
    'compose.yaml': `name: ${live}\nservices:\n  web: {image: ${IMG}, command: ["sleep", "1000"]}\n  job: {image: ${IMG}, command: ["true"]}\n`,
  });
  const doneDir = e.project(done, {
    'compose.yaml': `name: ${done}\nservices:\n  job: {image: ${IMG}, command: ["true"]}\n`,
  });
  for (const d of [liveDir, doneDir]) assert.equal((await e.gantry(['up', '-d'], { cwd: d })).exitCode, 0);
  const rows = async (...args: string[]) => {
    const r = await e.gantry(['ls', '--format', 'json', ...args]);
    assert.equal(r.exitCode, 0, r.stderr);
    return JSON.parse(r.stdout) as { Name: string; Status: string; ConfigFiles: string }[];
  };
  for (let i = 0; i < 50 && !(await rows('-a')).every((r) => r.Name === live || r.Status === 'exited(1)'); i++)
    await sleep(200);

  await t.test('running projects by default, with combined status and config files (json)', async () => {
    assert.deepEqual(await rows(), [
      { Name: live, Status: 'exited(1), running(1)', ConfigFiles: join(liveDir, 'compose.yaml') },
    ]);
  });

  await t.test('-a adds stopped projects; --filter name=; -q', async () => {
    assert.deepEqual(
      (await rows('-a')).map((r) => [r.Name, r.Status]),
      [
        [live, 'exited(1), running(1)'],
        [done, 'exited(1)'],
      ],
    );
    assert.deepEqual(
      (await rows('-a', '--filter', `name=${done.slice(-4)}`)).map((r) => r.Name),
      [done],
    );
    const q = await e.gantry(['ls', '-a', '-q']);
    assert.equal(q.stdout, `${live}\n${done}\n`);
  });

  await t.test('table form and errors', async () => {
    const r = await e.gantry(['ls']);
    assert.equal(r.exitCode, 0, r.stderr);
    const [head, row, ...rest] = r.stdout.trimEnd().split('\n');
    assert.match(head!, /^NAME\s+STATUS\s+CONFIG FILES$/);
    assert.match(row!, new RegExp(`^${live}\\s+exited\\(1\\), running\\(1\\)\\s+${join(liveDir, 'compose.yaml')}$`));
    assert.equal(rest.length, 0);
    const bad = await e.gantry(['ls', '--filter', 'status=running']);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /--filter: only name=VALUE/);
    assert.equal((await e.gantry(['ls', '--format', 'yaml'])).exitCode, 2);
  });

  await t.test('a project taken down disappears', async () => {
    assert.equal((await e.gantry(['down', '-t', '1'], { cwd: liveDir })).exitCode, 0);
    assert.deepEqual(
      (await rows('-a')).map((r) => r.Name),
      [done],
    );
  });
});
