// The container log files without a container: --tail read backwards (partial pieces kept, a line
// being written left for the follower, rotated files reached), and the forward cursor following
// a file through rotation (rename) and truncation (max-file 1) without losing or repeating lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogCursor, readTail } from '../../../src/runtime/log-files.ts';

const at = (i: number): string => `2026-01-01T00:00:00.${String(i).padStart(9, '0')}Z`;
const line = (i: number, text: string, tag = 'F'): string => `${at(i)} stdout ${tag} ${text}\n`;

async function drain(c: LogCursor): Promise<string> {
  let out = '';
  for (let b = await c.read(); b; b = await c.read()) out += b.toString();
  return out;
}

test('readTail: the last n whole lines, across rotated files, one chunk at a time', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-logfiles-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'container.log');
  writeFileSync(`${log}.2`, line(1, 'one'));
  writeFileSync(`${log}.1`, line(2, 'two') + line(3, 'thr', 'P'));
  const big = Array.from({ length: 5000 }, (_, i) => line(10 + i, `n${i}`)).join('');
  writeFileSync(log, line(4, 'ee') + big + `${at(9999)} stdout F half`); // the last line is still being written
  const t3 = await readTail(log, 3);
  assert.deepEqual(
    t3.lines.map((l) => l.split(' ').at(-1)),
    ['n4997', 'n4998', 'n4999'],
  );
  assert.equal(t3.offset, Buffer.byteLength(line(4, 'ee') + big), 'a follower starts after the last newline');
  const all = await readTail(log, 5003);
  assert.deepEqual(
    all.lines.slice(0, 4).map((l) => l.split(' ').slice(1).join(' ')),
    ['stdout F one', 'stdout F two', 'stdout P thr', 'stdout F ee'],
  );
  const none = await readTail(log, 0);
  assert.deepEqual(none.lines, []);
});

test('LogCursor: oldest file first, then follows through a rename and a truncation', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-logfiles-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'container.log');
  writeFileSync(`${log}.1`, line(1, 'a'));
  writeFileSync(log, line(2, 'b'));
  const c = new LogCursor(log);
  assert.equal(await drain(c), line(1, 'a') + line(2, 'b'));
  appendFileSync(log, line(3, 'c'));
  // rotated after more was written: the rest of the old file, then the new one
  renameSync(`${log}.1`, `${log}.2`);
  renameSync(log, `${log}.1`);
  writeFileSync(log, line(4, 'd'));
  assert.equal(await drain(c), line(3, 'c') + line(4, 'd'));
  appendFileSync(log, line(41, 'd1') + line(42, 'd2'));
  assert.equal(await drain(c), line(41, 'd1') + line(42, 'd2'));
  truncateSync(log, 0); // max-file 1 starts the one file over (once it is full: smaller than where we were)
  appendFileSync(log, line(5, 'e'));
  assert.equal(await drain(c), line(5, 'e'));
  await c.close();
});
