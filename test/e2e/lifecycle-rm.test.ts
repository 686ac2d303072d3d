// rm through the CLI: only stopped containers go, after a confirmation read from stdin (no
// answer keeps them), -f skips the question, -s stops first; nothing of a removed container is
// left on the host. kill --remove-orphans removes containers of services no longer in the file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eRoot, stillThere, tracesOf } from '../helpers/engine-e2e.ts';
import { IMG, psAll, uniq } from './lifecycle-helpers.ts';

const e = await e2eRoot((fn) => after(fn));

test('rm: stopped only, confirmation, -f, -s; kill --remove-orphans', async () => {
  const name = uniq('rm');
  const file = (services: string[]) =>
    `name: ${name}\nservices:\n${services.map((s) => `  ${s}: {image: ${IMG}, command: [sleep, "1000"]}\n`).join('')}`;
  const dir = e.project(name, { 'compose.yaml': file(['a', 'b', 'c']) });
  const g = (args: string[], input?: string) => e.gantry(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });
  const names = async () => (await psAll(e, dir)).map((r) => r.Service);
  assert.equal((await g(['up', '-d'])).exitCode, 0);

  const running = await g(['rm', '-f', 'a']);
  assert.equal(running.exitCode, 0, running.stderr);
  assert.match(running.stderr, /No stopped containers/);
  assert.deepEqual(await names(), ['a', 'b', 'c']);

  assert.equal((await g(['stop', '-t', '1', 'a'])).exitCode, 0);
  const declined = await g(['rm', 'a']); // stdin closed without an answer
  assert.equal(declined.exitCode, 0, declined.stderr);
  assert.match(declined.stderr, new RegExp(`Going to remove ${name}-a-1`));
  assert.deepEqual(await names(), ['a', 'b', 'c']);

  const traces = tracesOf(e.root, `${name}-a`);
  const yes = await g(['rm', 'a'], 'y\n');
  assert.equal(yes.exitCode, 0, yes.stderr);
  assert.match(yes.stderr, new RegExp(`Container ${name}-a-1  Removed`));
  assert.deepEqual(await names(), ['b', 'c']);
  assert.deepEqual(stillThere(traces, e.root), []);

  const stopRm = await g(['rm', '-s', '-f', 'b']);
  assert.equal(stopRm.exitCode, 0, stopRm.stderr);
  assert.match(stopRm.stderr, new RegExp(`Container ${name}-b-1  Stopped[\\s\\S]*Container ${name}-b-1  Removed`));
  assert.deepEqual(await names(), ['c']);

  // c leaves the file: kill --remove-orphans removes it (nothing else is left to kill).
  writeFileSync(join(dir, 'compose.yaml'), file(['a']));
  const kill = await g(['kill', '--remove-orphans']);
  assert.equal(kill.exitCode, 0, kill.stderr);
  assert.match(kill.stderr, new RegExp(`Container ${name}-c-1  Removed`));
  assert.deepEqual(await names(), []);
});
