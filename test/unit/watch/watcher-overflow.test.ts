// More inotify events than the kernel queues (fs.inotify.max_queued_events) while the watcher
// cannot read them: the kernel drops the rest and libuv drops the overflow marker, so the watcher
// is not told. A same-size rewrite at the end of such a burst (git rewrites the files it changes
// after its removals: issue 17's switch back, "many" → "main") is still reported, with its content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ephemeral, startWatcher, type Batch } from '../../../src/watch/watcher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'watcher: a rewrite whose events the overflowing inotify queue dropped is still reported',
  { timeout: 120_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-watcher-overflow-'));
    const readme = join(dir, 'readme.txt');
    writeFileSync(readme, 'many\n');
    writeFileSync(join(dir, 'a'), '');
    writeFileSync(join(dir, 'b'), '');
    const batches: Batch[] = [];
    const seen: string[] = [];
    const w = await startWatcher({
      paths: [dir],
      ignored: ephemeral,
      onError: (e) => assert.fail(e),
      onBatch: (b) => {
        batches.push(b);
        if (b.get(readme) === 'write') seen.push(readFileSync(readme, 'utf8'));
      },
    });
    t.after(async () => {
      await w.close();
      rmSync(dir, { recursive: true, force: true });
    });
    await w.ready;
    await sleep(100);

    // Synchronous writes: this process reads no event until they are all done, so they queue in the
    // kernel. Two files in turn: identical consecutive events would be merged into one.
    const max = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'));
    for (let i = 0; i < max / 2 + 100; i++) {
      appendFileSync(join(dir, 'a'), 'x');
      appendFileSync(join(dir, 'b'), 'x');
    }
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
