// A start writes the container's plan (and cgroup-ready, seccomp) beside state.json: those files change
// no state, so they must not rest the directory's watch as a log write does (REST_MS), or the
// supervisor sees the start only when the rest ends. setTimeout is mocked and never advanced, so a
// rest never ends: the state.json rename after the plan write is reported only if the watch stayed
// armed. A log write still rests it (the rename behind it is then not reported).
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateEvents } from '../../../src/supervisor/state-events.ts';

/** Real time, turn by turn (setImmediate is not mocked): waits until `done()` or the deadline. */
async function until(done: () => boolean, ms: number): Promise<void> {
  for (const end = performance.now() + ms; !done() && performance.now() < end;)
    await new Promise((r) => setImmediate(r));
}

function rig(t: { after: (fn: () => void) => void }) {
  const root = mkdtempSync(join(tmpdir(), `gantry-state-events-${process.pid}-`));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'containers', 'c1');
  mkdirSync(dir, { recursive: true });
  const seen: string[] = [];
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const events = new StateEvents(
    (id) => join(root, 'containers', id),
    (ids) => seen.push(...ids),
  );
  t.after(() => events.close());
  events.follow(['c1']);
  const start = () => {
    writeFileSync(join(dir, 'state.json.tmp'), '{}');
    renameSync(join(dir, 'state.json.tmp'), join(dir, 'state.json'));
  };
  return { dir, seen, start };
}

test('a plan written before a start does not rest the watch: the start is reported', async (t) => {
  const { dir, seen, start } = rig(t);
  writeFileSync(join(dir, 'plan'), 'plan');
  writeFileSync(join(dir, 'cgroup-ready'), '');
  await until(() => false, 50); // the writes' events handled first
  start();
  await until(() => seen.length > 0, 10_000);
  assert.deepEqual(seen, ['c1'], 'the state.json rename after the plan write was not reported');
});

test('a log write rests the watch: the rename behind it waits for the rest', async (t) => {
  const { dir, seen, start } = rig(t);
  writeFileSync(join(dir, 'container.log'), 'line\n');
  await until(() => false, 50);
  start();
  await until(() => seen.length > 0, 300);
  assert.deepEqual(seen, [], 'a talker woke the supervisor on every write');
});
