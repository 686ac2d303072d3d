// The watcher's batches: a save in two writes (truncate, then data) inside chokidar's 50 ms
// change throttle still ends in a batch taken after the last write; a burst of files in a new
// directory arrives as one batch with every file in it; deletions are noted; .git and editor
// temp files are never reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ephemeral } from '../../../src/watch/ephemeral.ts';
import { startWatcher, type Batch } from '../../../src/watch/watcher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'watcher: every save is seen with its final content; bursts batch; ignored paths never reported',
  { timeout: 60_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-watcher-'));
    mkdirSync(join(dir, '.git'));
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'start\n');
    const batches: Batch[] = [];
    const seenText: string[] = [];
    const w = await startWatcher({
      paths: [dir],
      ignored: ephemeral,
      onError: (e) => assert.fail(e),
      onBatch: (b) => {
        batches.push(b);
        if (b.get(file) === 'write') seenText.push(readFileSync(file, 'utf8'));
      },
    });
    t.after(async () => {
      await w.close();
      rmSync(dir, { recursive: true, force: true });
    });
    await w.ready;
    for (let i = 0; i < 20; i++) {
      const fd = openSync(file, 'w'); // truncate: one event…
      await sleep(3);
      writeSync(fd, `edit ${i}\n`); // …then the data, inside chokidar's throttle window
      closeSync(fd);
      const deadline = Date.now() + 5_000;
      while (seenText.at(-1) !== `edit ${i}\n` && Date.now() < deadline) await sleep(2);
      assert.equal(seenText.at(-1), `edit ${i}\n`, `edit ${i}: last batch saw ${JSON.stringify(seenText.at(-1))}`);
    }

    await sleep(300); // the last save's trailing events are in their own batch, not the burst's
    batches.length = 0;
    mkdirSync(join(dir, 'many'));
    for (let i = 0; i < 300; i++) writeFileSync(join(dir, 'many', `m${i}.txt`), `${i}`);
    writeFileSync(join(dir, '.git', 'index'), 'x');
    writeFileSync(join(dir, '.f.txt.swp'), 'x');
    const deadline = Date.now() + 20_000;
    const count = () => new Set(batches.flatMap((b) => [...b.keys()].filter((p) => p.includes('/many/')))).size;
    while (count() < 300 && Date.now() < deadline) await sleep(10);
    await sleep(200);
    assert.equal(count(), 300);
    assert.equal(batches.length, 1, `300 files in ${batches.length} batches`);
    assert.equal(batches[0]!.get(join(dir, 'many')), 'write');
    assert.ok(batches.every((b) => [...b.keys()].every((p) => !p.includes('/.git/') && !p.endsWith('.swp'))));

    batches.length = 0;
    rmSync(file);
    while (!batches.some((b) => b.get(file) === 'delete') && Date.now() < deadline + 10_000) await sleep(10);
    assert.ok(batches.some((b) => b.get(file) === 'delete'));
  },
);
