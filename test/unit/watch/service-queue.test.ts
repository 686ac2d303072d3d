// A service's queue when a burst's first file went alone (its writer stalled longer than a save's
// quiet) and the rest streamed: the sync+exec command runs once, after the burst's last file,
// never on the half-synced tree; a lone save's command still runs, once it has settled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProjectHandle } from '../../../src/engine/index.ts';
import type { WatchEvent } from '../../../src/watch/events.ts';
import { serviceQueue } from '../../../src/watch/service-queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hook = { command: ['sh', '-c', 'ls'], environment: {} };

/** A handle whose sync takes a few ms and records its targets; each exec records how many were in. */
function fakeHandle() {
  const inside = new Set<string>();
  const execSaw: number[] = [];
  const handle = {
    async sync(req: { files: readonly { to: string }[] }) {
      await sleep(5);
      for (const f of req.files) inside.add(f.to);
      return req.files.length;
    },
    async execCollected() {
      execSaw.push(inside.size);
      return [{ container: 'c', exitCode: 0, stdout: '', stderr: '' }];
    },
  } as unknown as ProjectHandle;
  return { handle, execSaw };
}

test('service queue: a burst whose first file went alone runs its exec once, after every file', async () => {
  const { handle, execSaw } = fakeHandle();
  const events: WatchEvent[] = [];
  const q = serviceQueue('web', { handle, emit: (e) => events.push(e), settleMs: 100 });
  // The burst's first file, handed over as a save: its sync, its exec asked.
  q.sync('/app/f0', '/src/f0');
  q.exec(hook);
  await sleep(30);
  // The rest streams in chunks (the sync of each starts at once), then the burst's end.
  for (let c = 0; c < 3; c++) {
    q.stream();
    for (let i = 1; i <= 10; i++) q.sync(`/app/f${c * 10 + i}`, `/src/f${c * 10 + i}`);
    await sleep(40);
  }
  q.exec(hook);
  q.end();
  await q.idle();
  assert.deepEqual(execSaw, [31], 'one exec, with every file inside');
  // How the syncs group depends on when the process runs (idle: 1 then 30; a stalled event loop on a loaded
  // machine: 31 at once); what holds is every file synced before the one exec.
  const shown = events.map((e) => `${e.action} ${e.files}`);
  assert.equal(shown.at(-1), 'exec 31', shown.join(', '));
  const synced = shown.slice(0, -1).map((s) => /^sync (\d+)$/.exec(s)?.[1]);
  assert.ok(synced.every(Boolean), shown.join(', '));
  assert.equal(
    synced.reduce((n, k) => n + Number(k), 0),
    31,
    shown.join(', '),
  );
  await q.close();
});

test('service queue: a lone save runs its exec after its sync, once settled', async () => {
  const { handle, execSaw } = fakeHandle();
  const events: WatchEvent[] = [];
  const q = serviceQueue('web', { handle, emit: (e) => events.push(e), settleMs: 50 });
  const t0 = performance.now();
  q.sync('/app/a', '/src/a');
  q.exec(hook);
  await q.idle();
  // The queue counts in Date.now()'s whole milliseconds: 50 of them can be 49.x on this clock (CI saw it). Without
  // the settle the exec runs within a few ms.
  const waited = performance.now() - t0;
  assert.ok(waited >= 48, `the exec waited for the save to settle (${waited.toFixed(1)} ms of 50)`);
  assert.deepEqual(execSaw, [1]);
  assert.deepEqual(
    events.map((e) => `${e.action} ${e.files}`),
    ['sync 1', 'exec 1'],
  );
  await q.close();
});
