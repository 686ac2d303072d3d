// The inotify queue overflowing after a burst's batch was handed over, with events the watcher does not
// count (a watch of the embedding process shares libuv's inotify queue): no later event says anything
// was lost. The trees are walked again once they are quiet after a burst, so a rewrite and a removal
// made while the queue was full still come, in a follow-up batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchesOf, queueFiller, sleep } from '../../helpers/inotify-queue.ts';

test(
  'watcher: changes lost to an overflow after a burst was handed over are found once quiet',
  { timeout: 120_000 },
  async (t) => {
    const base = mkdtempSync(join(tmpdir(), 'gantry-watcher-overflow-late-'));
    const dir = join(base, 'tree');
    const noise = join(base, 'noise'); // outside the watched tree, watched by the "embedding" process
    mkdirSync(dir);
    const filler = queueFiller(noise);
    const readme = join(dir, 'readme.txt');
    writeFileSync(readme, 'many\n');
    const old = join(dir, 'old');
    mkdirSync(old);
    for (let f = 0; f < 5; f++) writeFileSync(join(old, `f${f}`), `${f}\n`);
    const other = watch(noise, () => undefined);
    t.after(() => {
      other.close();
      rmSync(base, { recursive: true, force: true });
    });
    const burst = join(dir, 'burst');
    let flooded = false;
    const batches = await batchesOf(t, dir, (b) => {
      if (flooded || ![...b.keys()].some((p) => p.startsWith(burst))) return;
      flooded = true;
      // Inside the hand-over (nothing is read meanwhile): the queue fills with the other watch's events,
      // then a same-size rewrite and a removal whose events it has no room for.
      filler.fill();
      writeFileSync(readme, 'main\n');
      rmSync(old, { recursive: true });
    });

    mkdirSync(burst);
    for (let f = 0; f < 300; f++) writeFileSync(join(burst, `f${f}`), `${f}\n`);
    const changes = (): Map<string, string> => new Map(batches.flatMap((b) => [...b]));
    const want = [readme, old, ...[0, 1, 2, 3, 4].map((f) => join(old, `f${f}`))];
    const deadline = Date.now() + 30_000;
    while (want.some((p) => !changes().has(p)) && Date.now() < deadline) await sleep(20);
    assert.ok(flooded, 'the burst was handed over');
    assert.equal(changes().get(readme), 'write', 'the rewrite is reported');
    assert.deepEqual(
      want.slice(1).filter((p) => changes().get(p) !== 'delete'),
      [],
      'the removed directory and its files are reported',
    );
  },
);
