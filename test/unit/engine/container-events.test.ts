// Following the journal: only the project's (and the asked services') events, from now unless
// --since, across a rotation by another writer, ending at --until or on abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJournal, journalLine } from '../../../src/runtime/journal.ts';
import { followEvents, type ProjectEvent } from '../../../src/engine/commands/container-events.ts';
import { LABELS } from '../../../src/engine/labels.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const labels = (project: string, service: string) => ({
  [LABELS.project]: project,
  [LABELS.service]: service,
  'io.gantry.netns': 'x',
  user: 'u',
});

test('follows from now, filters, survives rotation, stops on abort', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-evf-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'events.jsonl');
  appendJournal(file, journalLine('p-web-1', 'create', labels('p', 'web'))); // before: not shown
  const got: ProjectEvent[] = [];
  const ac = new AbortController();
  const done = followEvents(file, 'p', { services: ['web'], signal: ac.signal, onEvent: (e) => got.push(e) });
  await sleep(150);
  appendJournal(file, journalLine('p-web-1', 'start', labels('p', 'web')));
  appendJournal(file, journalLine('p-db-1', 'start', labels('p', 'db'))); // another service
  appendJournal(file, journalLine('q-web-1', 'start', labels('q', 'web'))); // another project
  const size = (await import('node:fs')).statSync(file).size;
  appendJournal(file, journalLine('p-web-1', 'die', labels('p', 'web'), { exitCode: '0' }), size); // rotates first
  await sleep(300);
  ac.abort();
  await done;
  assert.deepEqual(
    got.map((e) => e.action),
    ['start', 'die'],
  );
  assert.equal(got[0]!.service, 'web');
  assert.deepEqual(
    got[1]!.attributes,
    { user: 'u', name: 'p-web-1', exitCode: '0' },
    'compose and gantry labels are dropped',
  );
});

test('--since replays both generations; --until in the past ends at once', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), `gantry-evs-${process.pid}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'events.jsonl');
  appendJournal(file, journalLine('p-a-1', 'create', labels('p', 'a'), {}, '2024-01-01T00:00:00.000000000Z'));
  appendJournal(file, journalLine('p-a-1', 'start', labels('p', 'a'), {}, '2024-01-01T00:00:01.000000000Z'), 1); // rotates
  appendJournal(file, journalLine('p-a-1', 'die', labels('p', 'a'), {}, '2024-01-01T00:00:05.000000000Z'));
  const got: string[] = [];
  await followEvents(file, 'p', {
    since: Date.parse('2024-01-01T00:00:00Z'),
    until: Date.parse('2024-01-01T00:00:02Z'),
    onEvent: (e) => got.push(e.action),
  });
  assert.deepEqual(got, ['create', 'start']);
});
