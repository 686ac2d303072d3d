// A new directory whose files come after a pause of the writer (longer than a save's quiet wait,
// shorter than a burst's): the directory and its files are one batch, not an empty directory synced
// alone and then its files (a `git checkout` under load was two syncs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchesOf, sleep } from '../../helpers/inotify-queue.ts';

test('watcher: a new directory and the files written into it after a pause are one batch', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-watcher-new-dir-'));
  const batches = await batchesOf(t, dir);
  const pkg = join(dir, 'pkg');
  mkdirSync(pkg);
  await sleep(60); // a save's quiet wait (12 ms) is over; a burst's (150 ms) is not
  for (let i = 0; i < 20; i++) writeFileSync(join(pkg, `f${i}.txt`), `${i}\n`);
  const deadline = Date.now() + 10_000;
  while (batches.flatMap((b) => [...b.keys()]).length < 21 && Date.now() < deadline) await sleep(10);
  await sleep(300);
  assert.deepEqual(
    batches.map((b) => b.size),
    [21],
    `batches: ${batches.map((b) => [...b.keys()].map((p) => p.slice(dir.length)).join(' ')).join(' | ')}`,
  );
});
