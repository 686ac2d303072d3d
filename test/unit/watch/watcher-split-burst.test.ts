// A burst handed over in two batches (the writer stalled longer than the burst's quiet wait, as git
// does on a loaded machine): every file of both halves is reported, and the second half's rescan
// (its events reach a quarter of the inotify queue) does not report the first half's files again.
// It did, as "racy" (looked at within 20 ms of their write), so the second sync copied both halves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overflowSuspectAt } from '../../../src/watch/rescan.ts';
import { batchesOf, sleep } from '../../helpers/inotify-queue.ts';

/** n files in a new directory, written as a writer runs beside the watcher: it looks at each at once. */
async function writeFiles(dir: string, n: number): Promise<string[]> {
  mkdirSync(dir);
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = join(dir, `f${i}.txt`);
    writeFileSync(p, `${i}\n`);
    paths.push(p);
    if (i % 8 === 7) await new Promise((r) => setImmediate(r));
  }
  return paths;
}

async function until(ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await sleep(10);
}

test('watcher: a burst split in two batches reports each file once, none lost', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-watcher-split-'));
  const batches = await batchesOf(t, dir);
  const written = (paths: readonly string[]): number =>
    paths.filter((p) => batches.some((b) => b.get(p) === 'write')).length;

  const first = await writeFiles(join(dir, 'a'), 400);
  await until(() => written(first) === first.length, 20_000);
  assert.equal(written(first), first.length, 'first half reported');
  const handed = batches.length;
  await sleep(700); // the first half's follow-up walk is done

  // Enough paths for the hand-over to suspect an overflow and walk the tree again (strictly).
  const second = await writeFiles(join(dir, 'b'), Math.ceil(overflowSuspectAt() / 4) + 100);
  await until(() => written(second) === second.length, 20_000);
  await sleep(1_000); // a follow-up walk would come within this
  assert.equal(written(second), second.length, 'second half reported');
  const again = batches.slice(handed).flatMap((b) => [...b.keys()].filter((p) => first.includes(p)));
  assert.deepEqual(again.length, 0, `first half reported again: ${again.length} files`);
});
