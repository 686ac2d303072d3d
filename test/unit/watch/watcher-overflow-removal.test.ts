// Removals whose inotify events the overflowing kernel queue dropped (issue 17's switch back, "many" →
// "main": git removes 5,000 files and their directories, ~20,000 events for a 16,384-event queue). Every
// removed path is reported, the files under a removed directory as well as the directory: a rescan that
// finds a directory gone once reported only the directory and counted its files as gone already, so
// the CI's back-switch synced 4,328 of 5,052 paths (the directory's removal takes its files inside
// the container too, but the sync no longer says what it did, and a test cannot tell it from a loss).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchesOf, queueFiller, sleep } from '../../helpers/inotify-queue.ts';

test(
  'watcher: files of a directory removed while the inotify queue overflows are reported removed',
  { timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-watcher-overflow-rm-'));
    const removed: string[] = [];
    // The events that fill the queue come from a directory of their own: a later event of the tree's
    // root would make chokidar list the root again and find the removals itself.
    const filler = queueFiller(join(dir, 'noise'));
    const batches = await batchesOf(t, dir);
    // The tree comes while watching, as a checkout's does: directories are seen before their files.
    for (let d = 0; d < 4; d++) {
      const sub = join(dir, `d${d}`);
      mkdirSync(sub);
      removed.push(sub);
      for (let f = 0; f < 20; f++) {
        writeFileSync(join(sub, `f${f}`), `${d}/${f}\n`);
        removed.push(join(sub, `f${f}`));
      }
    }
    const written = (): number => new Set(batches.flatMap((b) => [...b.keys()])).size;
    for (const end = Date.now() + 20_000; written() < removed.length && Date.now() < end;) await sleep(20);
    await sleep(300);
    assert.equal(written(), removed.length, 'the tree was reported before its removal');
    batches.length = 0;

    // Synchronous: this process reads no event until all is done, so the removals find the queue full.
    filler.fill();
    for (let d = 0; d < 4; d++) rmSync(join(dir, `d${d}`), { recursive: true });
    const deleted = (): Set<string> =>
      new Set(batches.flatMap((b) => [...b].filter(([, c]) => c === 'delete').map(([p]) => p)));
    const deadline = Date.now() + 30_000;
    while (deleted().size < removed.length && Date.now() < deadline) await sleep(20);
    await sleep(300);
    const missing = removed.filter((p) => !deleted().has(p));
    assert.deepEqual(missing, [], `${missing.length} of ${removed.length} removals not reported`);
  },
);
