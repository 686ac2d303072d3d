// Pure log handling for `logs` and attached `up`: the shim's CRI lines joined back into whole
// lines (partial "P" pieces), --tail, --since/--until windows, the time argument forms Docker
// takes (RFC 3339, a date, unix seconds, or a relative 10m / 1h30m), and interleaving by time.
import { UsageError } from '../../common/errors.ts';
import { parseLogLine } from '../../runtime/index.ts';

export interface LogEntry {
  readonly time: string; // RFC 3339 with nanoseconds, as the shim wrote it
  readonly ms: number; // parsed, for windows and ordering
  readonly stream: 'stdout' | 'stderr';
  readonly text: string; // one whole line, without the newline
}

const MAX_PENDING = 1 << 20;

/** Splits a chunk of the log file; returns the entries and the unfinished tail to carry over. */
export class LogParser {
  #pending = '';
  #partial = new Map<string, string>(); // stream → text of "P" pieces so far

  push(chunk: string): LogEntry[] {
    const lines = (this.#pending + chunk).split('\n');
    this.#pending = lines.pop() ?? '';
    // The shim splits output at 16 KiB: a longer run without a newline is no log line (a file
    // hole, garbage) and is dropped rather than held.
    if (this.#pending.length > MAX_PENDING) this.#pending = '';
    const out: LogEntry[] = [];
    for (const raw of lines) {
      const l = parseLogLine(raw);
      if (!l) continue;
      const text = (this.#partial.get(l.stream) ?? '') + l.text;
      if (!l.full) {
        this.#partial.set(l.stream, text);
        continue;
      }
      this.#partial.delete(l.stream);
      out.push({ time: l.time, ms: Date.parse(l.time), stream: l.stream, text });
    }
    return out;
  }
}

export const inWindow = (e: LogEntry, since?: number, until?: number): boolean =>
  (since === undefined || e.ms >= since) && (until === undefined || e.ms < until);

export const tail = <T>(list: readonly T[], n: number | undefined): readonly T[] =>
  n === undefined || n < 0 ? list : n === 0 ? [] : list.slice(-n);

/** Interleaves per-container lists (each already in time order) into one, stable by time. */
export function mergeByTime<T extends { readonly entry: LogEntry }>(lists: readonly (readonly T[])[]): T[] {
  return lists
    .flatMap((l, i) => l.map((x, j) => ({ x, i, j })))
    .sort(
      (a, b) =>
        a.x.entry.ms - b.x.entry.ms ||
        (a.x.entry.time < b.x.entry.time ? -1 : a.x.entry.time > b.x.entry.time ? 1 : a.i - b.i || a.j - b.j),
    )
    .map((w) => w.x);
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** --since / --until: "2026-01-02T15:04:05Z", "2026-01-02", "1700000000", "10m", "1h30m". */
export function parseTimeArg(flag: string, value: string, now = Date.now()): number {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(v)) {
    let total = 0;
    for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNITS[m[2]!]!;
    return now - total;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new UsageError(`${flag}: "${value}" is neither a time (RFC 3339, unix seconds) nor a duration (10m, 1h30m)`);
  return t;
}

/** --tail: a number of lines per container, or "all" (undefined). */
export function parseTailArg(v: string | undefined): number | undefined {
  if (v === undefined || v === 'all') return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--tail: "${v}" is not a number of lines or "all"`);
  return Number(v);
}
