// The event journal of a state root: gantry has no daemon to ask, so every lifecycle operation
// (and the shim, at PID 1's exit) appends one JSON line to <root>/events.jsonl; `events`
// follows the file. One write(2) per line on an O_APPEND descriptor: concurrent writers never
// interleave. The runtime knows no compose: a line carries the container id and its labels.
import { closeSync, fstatSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Past this size the next writer moves the file to events.jsonl.1 (one old generation kept). */
export const JOURNAL_MAX_BYTES = 4 * 1024 * 1024;

export interface JournalEvent {
  /** RFC 3339 with nanoseconds, UTC. */
  readonly time: string;
  readonly type: 'container';
  readonly action: string;
  readonly id: string;
  /** The container's labels plus name and event details (exitCode, execID…). */
  readonly attributes: Readonly<Record<string, string>>;
}

export function journalPath(containersDir: string): string {
  return join(dirname(containersDir), 'events.jsonl');
}

/**
 * Wall-clock time in Docker's 9-digit form. Date.now(), not timeOrigin + performance.now(): the
 * monotonic clock drifts from the wall clock in a long-lived supervisor, and lines from the shim
 * (CLOCK_REALTIME) must sort with ours.
 */
export function nanoTime(now: number = Date.now()): string {
  const ms = Math.floor(now);
  const us = Math.min(999, Math.round((now - ms) * 1e3)); // doubles hold microseconds, not nanoseconds
  const iso = new Date(ms).toISOString(); // ....sssZ
  return `${iso.slice(0, -1)}${String(us).padStart(3, '0')}000Z`;
}

export function journalLine(
  id: string,
  action: string,
  labels: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
  time = nanoTime(),
): string {
  const e: JournalEvent = { time, type: 'container', action, id, attributes: { ...labels, name: id, ...extra } };
  return `${JSON.stringify(e)}\n`;
}

/** Appends one line; never throws (a lost event must not fail the operation it describes). */
export function appendJournal(path: string, line: string, maxBytes = JOURNAL_MAX_BYTES): void {
  try {
    let fd = openSync(path, 'a', 0o600);
    if (fstatSync(fd).size >= maxBytes) {
      closeSync(fd);
      try {
        renameSync(path, `${path}.1`);
      } catch {} // another writer rotated it first
      fd = openSync(path, 'a', 0o600);
    }
    try {
      writeSync(fd, line);
    } finally {
      closeSync(fd);
    }
  } catch {}
}

/** Every event in the journal (the rotated generation first), skipping torn or foreign lines. */
export function readJournal(path: string): JournalEvent[] {
  return [`${path}.1`, path].flatMap((p) => parseJournal(readText(p)));
}

export function parseJournal(text: string): JournalEvent[] {
  const out: JournalEvent[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const e = JSON.parse(line) as JournalEvent;
      if (typeof e.action === 'string' && typeof e.id === 'string') out.push(e);
    } catch {}
  }
  return out;
}

function readText(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
