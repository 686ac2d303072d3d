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

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Year, month, day of a count of days since 1970-01-01 (H. Hinnant's civil_from_days), without a Date:
 * V8 loads ICU's time zone (/etc/localtime and its rules) on a process's first Date breakdown, even for
 * toISOString. That was the only Date of a warm `exec -T` (its journal lines): 0.9–1.0 ms idle, 3–10 ms
 * at load 8 of a fresh process's first toISOString (issue 20, bench/RESULTS.md "exec20").
 */
function civilDate(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

/**
 * Wall-clock time in Docker's 9-digit form. Date.now(), not timeOrigin + performance.now(): the
 * monotonic clock drifts from the wall clock in a long-lived supervisor, and lines from the shim
 * (CLOCK_REALTIME) must sort with ours.
 */
export function nanoTime(now: number = Date.now()): string {
  const ms = Math.floor(now);
  const us = Math.min(999, Math.round((now - ms) * 1e3)); // doubles hold microseconds, not nanoseconds
  const days = Math.floor(ms / DAY_MS);
  const [y, mo, d] = civilDate(days);
  const inDay = ms - days * DAY_MS;
  const [h, mi, s] = [Math.floor(inDay / 3_600_000), Math.floor(inDay / 60_000) % 60, Math.floor(inDay / 1000) % 60];
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(inDay % 1000, 3)}${pad(us, 3)}000Z`;
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
