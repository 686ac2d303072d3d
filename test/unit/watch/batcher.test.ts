// When the watcher hands a batch over: a lone save after the short quiet, a burst with stalls
// longer than that quiet as one batch, a held batch only once released, a steady stream bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batcher, type Batch } from '../../../src/watch/batcher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collect(timing: Parameters<typeof batcher>[1]) {
  const got: { at: number; batch: Batch }[] = [];
  const t0 = performance.now();
  const b = batcher((batch) => got.push({ at: performance.now() - t0, batch }), timing);
  return { b, got };
}

test('batcher: a lone save goes after the short quiet', async () => {
  // the burst quiet is far from the short one, so a loaded machine's late timers cannot blur them
  const { b, got } = collect({ quietMs: 10, burstQuietMs: 5_000, burstAt: 4 });
  b.note('/p/a', 'write');
  b.note('/p/a', 'write');
  for (let waited = 0; got.length === 0 && waited < 2_500; waited += 10) await sleep(10);
  assert.equal(got.length, 1);
  assert.deepEqual([...got[0]!.batch], [['/p/a', 'write']]);
  assert.ok(got[0]!.at < 2_500, `handed over after ${got[0]!.at} ms (the burst quiet is 5,000)`);
  b.close();
});

test('batcher: a burst with stalls longer than the short quiet is one batch; the last change wins', async () => {
  const { b, got } = collect({ quietMs: 10, burstQuietMs: 200, burstAt: 4 });
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 10; i++) b.note(`/p/f${round}-${i}`, 'write');
    await sleep(40); // a stall: four times the short quiet
  }
  b.note('/p/f0-0', 'delete');
  await sleep(400);
  assert.equal(got.length, 1, `${got.length} batches`);
  assert.equal(got[0]!.batch.size, 50);
  assert.equal(got[0]!.batch.get('/p/f0-0'), 'delete');
  b.close();
});

test('batcher: a held batch waits for its release; the bound still holds', async () => {
  const { b, got } = collect({ quietMs: 5, maxMs: 10_000 });
  b.note('/p/new-dir', 'write'); // its short quiet is running when the hold comes
  const release = b.hold();
  await sleep(100);
  assert.equal(got.length, 0);
  b.note('/p/new-dir/x', 'write');
  release();
  release(); // once only
  await sleep(100);
  assert.equal(got.length, 1);
  assert.equal(got[0]!.batch.size, 2);

  const bounded = collect({ quietMs: 5, maxMs: 80 });
  bounded.b.hold();
  bounded.b.note('/p/y', 'write');
  await sleep(200);
  assert.equal(bounded.got.length, 1, 'a hold never keeps a batch past maxMs');
  bounded.b.close();
  b.close();
});

test('batcher: a steady stream is handed over at least every maxMs; nothing after close', async () => {
  const { b, got } = collect({ quietMs: 50, burstQuietMs: 50, maxMs: 100 });
  // 350 ms of stream, longer while a loaded machine's late timers have let fewer than two batches out (the
  // stream keeps going: notes 10 ms apart leave no quiet, so only maxMs hands a batch over).
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < 350 || (got.length < 2 && performance.now() - t0 < 3_000); i++) {
    b.note(`/p/s${i}`, 'write');
    await sleep(10);
  }
  assert.ok(got.length >= 2, `${got.length} batches in ${Math.round(performance.now() - t0)} ms`);
  b.close();
  const n = got.length;
  b.note('/p/late', 'write');
  await sleep(100);
  assert.equal(got.length, n);
});

test('batcher: a burst streams its settled paths while it goes on; its end comes after the quiet', async () => {
  const chunks: Batch[] = [];
  const ends: Batch[] = [];
  let writing = true;
  const b = batcher(
    (end) => ends.push(end),
    { burstQuietMs: 1_000, burstAt: 4, streamAgeMs: 20 },
    (c) => {
      assert.ok(writing || chunks.length > 0, 'a chunk before the writer stopped');
      chunks.push(c);
    },
  );
  for (let i = 0; i < 40; i++) {
    b.note(`/p/f${i}`, 'write');
    await sleep(10);
  }
  b.note('/p/f0', 'delete'); // streamed already: it is noted again, the last change wins
  writing = false;
  assert.ok(chunks.length >= 2, `${chunks.length} chunks while 40 paths came in 400 ms`);
  assert.equal(ends.length, 0, 'the burst is not over');
  for (let waited = 0; ends.length === 0 && waited < 5_000; waited += 10) await sleep(10);
  assert.equal(ends.length, 1);
  const all = new Map([...chunks.flatMap((c) => [...c]), ...ends[0]!]);
  assert.equal(all.size, 40);
  assert.equal(all.get('/p/f0'), 'delete');
  const streamed = chunks.reduce((n, c) => n + c.size, 0) + ends[0]!.size;
  assert.equal(streamed, 41, 'each path once per change, f0 twice');
  b.close();
});

test('batcher: saves that add up to a burst within its quiet make the rest one batch', async () => {
  // A writer slower than the short quiet: groups of 3 paths, 40 ms apart (each group alone is a save).
  const { b, got } = collect({ quietMs: 10, burstQuietMs: 300, burstAt: 8 });
  for (let g = 0; g < 6; g++) {
    for (let i = 0; i < 3; i++) b.note(`/p/g${g}-${i}`, 'write');
    await sleep(40);
  }
  await sleep(600);
  // The first groups go as saves until 8 paths were handed over within 300 ms; the rest waits the burst's quiet.
  assert.ok(got.length <= 3, `batches: ${got.map((x) => x.batch.size).join(', ')}`);
  assert.equal(
    got.reduce((n, x) => n + x.batch.size, 0),
    18,
  );
  b.close();
});
