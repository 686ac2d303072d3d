// A burst streamed through the built CLI: its first files are inside the container while the writer
// is still writing (the copy overlaps the burst), files rewritten or removed after their chunk was
// copied end up as the host has them, and the burst is still one sync (each file copied once when
// its first files went alone), one restart (sync+restart) and one exec run after every file is in
// (sync+exec).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerRoot, countLines as count, sleeperProject, watchedProject } from '../helpers/watch-cli.ts';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rootOf = (mark: string): string => containerRoot('STREAM_MARK', mark);
/** The files the sync lines of text copied, all syncs together. */
const synced = (text: string): number =>
  [...text.matchAll(/^web {2}sync {2}(\d+) files? /gm)].reduce((n, m) => n + Number(m[1]), 0);

/**
 * Files f0, f1… written into dir in groups of 25 with pauses of a few ms (far below a burst's quiet
 * wait, so one burst) until f0 is inside at `seen` (or `max` files); returns how many were written.
 */
async function writeUntilSeen(dir: string, seen: string, text: (i: number) => string, max = 6000): Promise<number> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < max; i++) {
    writeFileSync(join(dir, `f${i}.txt`), text(i));
    if (i % 25 !== 24) continue;
    await pause(3);
    if (existsSync(seen)) return i + 1;
  }
  return max;
}

test(
  'watch stream: a burst is copied while written; rewrites and removals mid-burst land',
  { timeout: 300_000 },
  async (t) => {
    const mark = `s${process.pid}`;
    const { dir, w } = await watchedProject(
      t,
      (r) =>
        sleeperProject(r, `ws${process.pid}`, {
          watch: '        - { path: ./src, action: sync, target: /app }\n',
          webKeys: `    environment: { STREAM_MARK: ${mark} }\n`,
        }),
      { dirs: ['src'] },
    );
    const inside = join(rootOf(mark), 'app', 'burst');
    const src = join(dir, 'src', 'burst');

    const n = await writeUntilSeen(src, join(inside, 'f0.txt'), (i) => `v1 ${i}\n`);
    assert.ok(n < 6000, `no file inside before the writer was done (6,000 files): ${w.stderr()}`);
    assert.equal(count(w.stderr(), /^web {2}sync /), 0, 'the burst is not over: no sync reported yet');
    // Still the same burst: every file copied so far is rewritten, a few removed, more added.
    for (let i = 0; i < n; i++) {
      writeFileSync(join(src, `f${i}.txt`), `v2 ${i}\n`);
      if (i % 100 === 99) await pause(3);
    }
    for (let i = 1; i <= 10; i++) rmSync(join(src, `f${i}.txt`));
    for (let i = n; i < n + 500; i++) writeFileSync(join(src, `f${i}.txt`), `v2 ${i}\n`);

    await w.waitFor(/^web {2}sync /m, { timeoutMs: 60_000 });
    await pause(1500); // a second sync would come within this
    assert.equal(count(w.stderr(), /^web {2}sync /), 1, w.stderr());
    const want = Array.from({ length: n + 500 }, (_, i) => i).filter((i) => i < 1 || i > 10);
    assert.deepEqual(readdirSync(inside).sort(), want.map((i) => `f${i}.txt`).sort(), 'the files inside are the host');
    const stale = want.filter((i) => readFileSync(join(inside, `f${i}.txt`), 'utf8') !== `v2 ${i}\n`);
    assert.deepEqual(stale, [], `stale files inside (of ${n} rewritten)`);
    assert.doesNotMatch(w.stderr(), /failed/);
    assert.equal(await w.interrupt(), 0);
  },
);

test(
  'watch stream: a streamed burst restarts once and runs its exec once, after every file',
  { timeout: 300_000 },
  async (t) => {
    const mark = `t${process.pid}`;
    const { dir, w } = await watchedProject(
      t,
      (r) =>
        sleeperProject(r, `wt${process.pid}`, {
          watch: `        - { path: ./conf, action: sync+restart, target: /conf }
        - path: ./hooks
          action: sync+exec
          target: /hooks
          exec: { command: ["sh", "-c", "echo hooks: $$(ls /hooks | wc -l)"] }
`,
          webKeys: `    environment: { STREAM_MARK: ${mark} }\n`,
        }),
      { dirs: ['conf', 'hooks'] },
    );

    const conf = await writeUntilSeen(join(dir, 'conf'), join(rootOf(mark), 'conf', 'f0.txt'), (i) => `${i}\n`);
    assert.ok(conf < 6000, `no file inside before the writer was done: ${w.stderr()}`);
    for (let i = conf; i < conf + 300; i++) writeFileSync(join(dir, 'conf', `f${i}.txt`), `${i}\n`);
    await w.waitFor(/^web {2}restart {2}\d+ ms$/m, { timeoutMs: 60_000 });
    await pause(1500); // a second restart would come within this
    assert.equal(count(w.stderr(), /^web {2}restart /), 1, w.stderr());
    // The burst's first files can go alone, as saves (conf/ exists already, so no new directory
    // holds the batch, and a writer stalled longer than a save's 12 ms quiet is common under load):
    // more than one sync then, but each file copied once, and the restart after the last.
    assert.equal(synced(w.stderr()), conf + 300, w.stderr());
    const lastSync = w.stderr().lastIndexOf('\nweb  sync ');
    const restarted = w.stderr().search(/^web {2}restart /m);
    assert.ok(lastSync < restarted, `the restart waits for the burst's last sync: ${w.stderr()}`);
    const before = w.stderr().length;

    // The restarted container has a new PID 1: its root is looked up again.
    const hooks = await writeUntilSeen(join(dir, 'hooks'), join(rootOf(mark), 'hooks', 'f0.txt'), (i) => `${i}\n`);
    assert.ok(hooks < 6000, `no hook file inside before the writer was done: ${w.stderr()}`);
    for (let i = hooks; i < hooks + 300; i++) writeFileSync(join(dir, 'hooks', `f${i}.txt`), `${i}\n`);
    await w.waitFor(/^hooks: \d+$/m, { timeoutMs: 60_000 });
    await pause(1500); // a second exec would come within this
    assert.equal(count(w.stderr(), /^web {2}exec /), 1, w.stderr());
    assert.match(w.stderr(), new RegExp(`^hooks: ${hooks + 300}$`, 'm'), 'the exec saw every file of the burst');
    assert.equal(synced(w.stderr().slice(before)), hooks + 300, w.stderr());
    assert.doesNotMatch(w.stderr(), /failed/);
    assert.equal(await w.interrupt(), 0);
  },
);
