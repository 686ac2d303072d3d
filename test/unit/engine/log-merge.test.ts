// Log handling without containers: CRI lines joined back (partial pieces), tail, since/until
// windows, time arguments, interleaving by time, and streamLogs over real files (follow picks up
// appended lines and new containers; the signal ends it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  inWindow,
  LogParser,
  mergeByTime,
  parseTailArg,
  parseTimeArg,
  tail,
  type LogEntry,
} from '../../../src/engine/commands/log-merge.ts';
import { streamLogs, type LogLineOut, type LogSource } from '../../../src/engine/commands/stream-logs.ts';
import { logFormatter, serviceColor } from '../../../src/cli/render/log-prefix.ts';
import { UsageError } from '../../../src/common/errors.ts';

const t0 = '2026-01-01T00:00:00.000000001Z';
const at = (s: number): string => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000000000Z`;
const entry = (s: number, text: string): LogEntry => ({ time: at(s), ms: Date.parse(at(s)), stream: 'stdout', text });

test('parser: whole lines, partial pieces joined per stream, a torn line carried to the next chunk', () => {
  const p = new LogParser();
  const a = p.push(`${t0} stdout P hel${'\n'}${t0} stderr F err${'\n'}${t0} stdout F lo${'\n'}${t0} std`);
  assert.deepEqual(
    a.map((e) => [e.stream, e.text]),
    [
      ['stderr', 'err'],
      ['stdout', 'hello'],
    ],
  );
  assert.deepEqual(
    p.push(`out F next\ngarbage\n`).map((e) => e.text),
    ['next'],
  );
  assert.equal(a[0]!.ms, Date.parse('2026-01-01T00:00:00.000Z'));
});

test('tail, windows and time arguments', () => {
  assert.deepEqual(tail([1, 2, 3], 2), [2, 3]);
  assert.deepEqual(tail([1, 2, 3], 0), []);
  assert.deepEqual(tail([1, 2, 3], undefined), [1, 2, 3]);
  assert.equal(parseTailArg('all'), undefined);
  assert.equal(parseTailArg('20'), 20);
  assert.throws(() => parseTailArg('-3'), UsageError);
  assert.equal(inWindow(entry(5, 'x'), Date.parse(at(5)), Date.parse(at(6))), true);
  assert.equal(inWindow(entry(6, 'x'), undefined, Date.parse(at(6))), false, 'until is exclusive');
  assert.equal(inWindow(entry(4, 'x'), Date.parse(at(5))), false);
  const now = Date.parse('2026-06-01T12:00:00Z');
  assert.equal(parseTimeArg('--since', '10m', now), now - 600_000);
  assert.equal(parseTimeArg('--since', '1h30m', now), now - 5_400_000);
  assert.equal(parseTimeArg('--since', '1700000000', now), 1_700_000_000_000);
  assert.equal(parseTimeArg('--until', '2026-01-02T03:04:05+01:00', now), Date.parse('2026-01-02T02:04:05Z'));
  assert.throws(
    () => parseTimeArg('--since', 'yesterday', now),
    (e: unknown) => e instanceof UsageError && /--since: "yesterday"/.test(e.message),
  );
});

test('merge interleaves by time, stable for equal times', () => {
  const a = [entry(1, 'a1'), entry(3, 'a3')].map((e) => ({ entry: e, src: 'a' }));
  const b = [entry(2, 'b2'), entry(3, 'b3')].map((e) => ({ entry: e, src: 'b' }));
  assert.deepEqual(
    mergeByTime([a, b]).map((x) => x.entry.text),
    ['a1', 'b2', 'a3', 'b3'],
  );
});

test('prefixes: padded names, a stable color per service, flags', () => {
  const src = (service: string, number: number): LogSource => ({
    id: `p-${service}-${number}`,
    service,
    number,
    path: '',
  });
  const fmt = logFormatter({ color: false, prefix: true, timestamps: false });
  assert.equal(fmt({ source: src('database', 1), entry: entry(1, 'up') }), 'database-1  | up\n');
  assert.equal(fmt({ source: src('web', 1), entry: entry(1, 'hi') }), 'web-1       | hi\n');
  assert.equal(
    logFormatter({ color: false, prefix: false, timestamps: true })({ source: src('web', 1), entry: entry(1, 'hi') }),
    `${at(1)} hi\n`,
  );
  const colored = logFormatter({ color: true, prefix: true, timestamps: false })({
    source: src('web', 2),
    entry: entry(1, 'x'),
  });
  assert.equal(colored, `\x1b[${serviceColor('web')}mweb-2  | \x1b[0mx\n`);
  assert.equal(serviceColor('web'), serviceColor('web'));
  assert.equal(
    new Set(['web', 'db', 'cache', 'api', 'worker'].map(serviceColor)).size > 1,
    true,
    'services do not all share one color',
  );
});

const cri = (s: number, text: string): string => `${at(s)} stdout F ${text}\n`;

test('streamLogs: tail per container then follow appended lines and a new container', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-logs-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = (service: string): LogSource => ({ id: service, service, number: 1, path: join(dir, `${service}.log`) });
  writeFileSync(src('a').path, cri(1, 'a1') + cri(3, 'a3') + cri(5, 'a5'));
  writeFileSync(src('b').path, cri(2, 'b2') + cri(4, 'b4'));
  const sources = [src('a'), src('b')];
  const got: string[] = [];
  const ac = new AbortController();
  const done = streamLogs({
    projectContainers: async () => sources,
    follow: true,
    tail: 1,
    signal: ac.signal,
    onLine: (l: LogLineOut) => {
      got.push(l.entry.text);
      if (got.length === 4) ac.abort();
    },
  });
  // A failed assertion must not leave the follower running (the file would never end).
  t.after(() => ac.abort());
  // The tails arrive when the streams have been read, later on a loaded machine: wait for them.
  for (const until = Date.now() + 10_000; got.length < 2 && Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.deepEqual(got, ['b4', 'a5']);
  appendFileSync(src('a').path, cri(6, 'a6'));
  writeFileSync(src('c').path, cri(7, 'c7'));
  sources.push(src('c'));
  await done;
  assert.deepEqual(got, ['b4', 'a5', 'a6', 'c7']);
});

test('streamLogs without follow: since/until window over all containers, in time order', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-logs-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a: LogSource = { id: 'a', service: 'a', number: 1, path: join(dir, 'a.log') };
  const b: LogSource = { id: 'b', service: 'b', number: 1, path: join(dir, 'b.log') };
  writeFileSync(a.path, cri(1, 'a1') + cri(3, 'a3') + cri(5, 'a5'));
  writeFileSync(b.path, cri(2, 'b2') + cri(4, 'b4'));
  const got: string[] = [];
  const missing: LogSource = { id: 'm', service: 'm', number: 1, path: join(dir, 'none.log') };
  await streamLogs({
    projectContainers: async () => [a, b, missing],
    since: Date.parse(at(2)),
    until: Date.parse(at(5)),
    onLine: (l) => got.push(l.entry.text),
  });
  assert.deepEqual(got, ['b2', 'a3', 'b4']);
});
