// The event journal: one line per append, rotation at the size bound, torn lines skipped, and
// concurrent writers (separate processes) never interleaving their lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJournal, journalLine, journalPath, nanoTime, readJournal } from '../../../src/runtime/journal.ts';
import { journalFragment } from '../../../src/runtime/record-event.ts';

const tmp = (t: { after: (fn: () => void) => void }) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-journal-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

test('nanoTime is RFC 3339 with nine fraction digits, UTC', () => {
  assert.match(nanoTime(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  assert.equal(nanoTime(Date.UTC(2024, 0, 1, 0, 0, 0, 123) + 0.456), '2024-01-01T00:00:00.123456000Z');
});

// V8 loads ICU's time zone on a process's first Date breakdown (toISOString too): ≈ 1 ms of every exec.
test("nanoTime writes Date's UTC form (every day of 400 years and more) without breaking a Date down", () => {
  const instants: number[] = [];
  for (let day = -800; day < 146_097 + 800; day += 1)
    instants.push(day * 86_400_000 + ((day * 7_919_011) % 86_400_000));
  const expected = instants.map((at) => `${new Date(at).toISOString().slice(0, -1)}250000Z`);
  const dateOf = Date.prototype;
  const kept = Object.getOwnPropertyDescriptors(dateOf);
  for (const k of Object.getOwnPropertyNames(dateOf))
    if (/^(to|get)/.test(k))
      Object.defineProperty(dateOf, k, {
        value: () => {
          throw new Error(`Date.prototype.${k}`);
        },
      });
  try {
    assert.deepEqual(
      instants.map((at) => nanoTime(at + 0.25)),
      expected,
    );
  } finally {
    Object.defineProperties(dateOf, kept);
  }
});

test('the journal sits beside the containers dir', () => {
  assert.equal(journalPath('/r/containers'), '/r/events.jsonl');
});

test('lines carry the labels and name; torn lines are skipped; rotation keeps one generation', (t) => {
  const file = join(tmp(t), 'events.jsonl');
  appendJournal(file, journalLine('a', 'create', { x: '1' }));
  appendFileSync(file, '{"time":"torn\n');
  appendJournal(file, journalLine('a', 'start', { x: '1' }));
  assert.deepEqual(
    readJournal(file).map((e) => [e.action, e.attributes['name'], e.attributes['x']]),
    [
      ['create', 'a', '1'],
      ['start', 'a', '1'],
    ],
  );
  const size = readFileSync(file).length;
  appendJournal(file, journalLine('a', 'die', {}), size); // at the bound: rotate first
  assert.ok(existsSync(`${file}.1`));
  assert.deepEqual(
    readJournal(file).map((e) => e.action),
    ['create', 'start', 'die'],
    'the old generation is read first',
  );
  assert.equal(readFileSync(file, 'utf8').split('\n').length, 2, 'the new file holds only the new line');
});

test('the shim fragment closes into the same event shape', () => {
  const frag = journalFragment('c1', { k: 'v' });
  const line = `{"time":"${nanoTime()}","type":"container","action":"die",${frag},"exitCode":"3"}}`;
  const e = JSON.parse(line) as { id: string; attributes: Record<string, string> };
  assert.equal(e.id, 'c1');
  assert.deepEqual(e.attributes, { k: 'v', name: 'c1', exitCode: '3' });
});

test('concurrent writers in separate processes never interleave lines', async (t) => {
  const file = join(tmp(t), 'events.jsonl');
  const mod = new URL('../../../src/runtime/journal.ts', import.meta.url).href;
  const big = 'x'.repeat(3000); // beyond the pipe-atomic size: only O_APPEND + one write keeps lines whole
  const script = `import { appendJournal, journalLine } from '${mod}'; for (let i = 0; i < 200; i++) appendJournal(${JSON.stringify(file)}, journalLine('w' + process.argv[1], 'start', { big: '${big}' }));`;
  await Promise.all(
    ['1', '2', '3'].map(
      (n) =>
        new Promise<void>((resolve, reject) => {
          const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, n], {
            stdio: 'inherit',
          });
          c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${n}: ${code}`))));
        }),
    ),
  );
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 600);
  assert.equal(readJournal(file).length, 600, 'every line parses whole');
});
