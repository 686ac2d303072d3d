// More inotify events than the kernel queues (fs.inotify.max_queued_events) while the watcher
// cannot read them: the kernel drops the rest and libuv drops the overflow marker, so the watcher
// is not told. A same-size rewrite at the end of such a burst (git rewrites the files it changes
// after its removals: issue 17's switch back, "many" → "main") is still reported, with its content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchesOf, queueFiller, sleep } from '../../helpers/inotify-queue.ts';

test(
  'watcher: a rewrite whose events the overflowing inotify queue dropped is still reported',
  { timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-watcher-overflow-'));
    const readme = join(dir, 'readme.txt');
    writeFileSync(readme, 'many\n');
    const filler = queueFiller(dir);
    const seen: string[] = [];
    const batches = await batchesOf(t, dir, (b) => {
      if (b.get(readme) === 'write') seen.push(readFileSync(readme, 'utf8'));
    });
    await sleep(100);

    // Synchronous: this process reads no event until the rewrite is done.
    filler.fill();
    writeFileSync(readme, 'main\n'); // same size, written after the queue is full
    const deadline = Date.now() + 30_000;
    while (!seen.includes('main\n') && Date.now() < deadline) await sleep(20);
    assert.ok(
      batches.some((b) => b.get(join(dir, 'a')) === 'write'),
      'the burst itself was reported',
    );
    assert.deepEqual(seen, ['main\n'], `batches: ${batches.map((b) => [...b.keys()].join(' ')).join(' | ')}`);
  },
);
