// Reading a project's container logs for `logs` and attached `up`: everything already written
// (after --since/--until/--tail), interleaved by time; with follow, new lines of every file and
// the files of containers that appear later (scale-up, recreate), until the signal aborts.
// Memory stays bounded by a chunk per container (a --tail of N holds N lines): logs are streamed
// through a merge, and a tail is read backwards from the end of the file (and its rotations).
import { LogCursor, readTail, type TailVerdict } from '../../runtime/index.ts';
import { inWindow, LogParser, mergeByTime, tail, type LogEntry } from './log-merge.ts';

export interface LogSource {
  readonly id: string; // runtime container id
  readonly service: string;
  readonly number: number;
  readonly path: string; // runtime.logPath(id)
}

export interface LogLineOut {
  readonly source: LogSource;
  readonly entry: LogEntry;
}

export interface StreamLogsOptions {
  /** Listed once, and again every LIST_MS while following, to pick up new containers. */
  readonly projectContainers: () => Promise<readonly LogSource[]>;
  readonly follow?: boolean;
  readonly tail?: number; // per container, as Compose counts it
  readonly since?: number; // epoch ms
  readonly until?: number;
  readonly signal?: AbortSignal;
  /** A promise holds the stream back until the consumer caught up (a slow pipe). */
  readonly onLine: (line: LogLineOut) => unknown;
}

const POLL_MS = 100;
const LIST_MS = 500;

class Reader {
  readonly #parser = new LogParser();
  #cursor: LogCursor;
  #ready: LogEntry[] = [];
  #atEnd = false;
  readonly source: LogSource;
  constructor(source: LogSource) {
    this.source = source;
    this.#cursor = new LogCursor(source.path);
  }

  /** The last n entries inside the window; afterwards the reader continues at the file's end. */
  async tail(n: number, since?: number, until?: number): Promise<LogEntry[]> {
    const verdict = (l: { time: string }): TailVerdict => {
      const ms = Date.parse(l.time);
      return since !== undefined && ms < since ? 'stop' : until !== undefined && ms >= until ? 'skip' : 'take';
    };
    const t = await readTail(this.source.path, n, verdict);
    await this.#cursor.close();
    this.#cursor = LogCursor.at(this.source.path, t.ino, t.offset);
    const parser = new LogParser();
    return [
      ...tail(
        parser.push(t.lines.map((l) => `${l}\n`).join('')).filter((e) => inWindow(e, since, until)),
        n,
      ),
    ];
  }

  /** The next entry written so far without consuming it; undefined at the end for now. */
  async peek(): Promise<LogEntry | undefined> {
    while (this.#ready.length === 0 && !this.#atEnd) {
      const chunk = await this.#cursor.read();
      if (chunk === undefined) this.#atEnd = true;
      else this.#ready = this.#parser.push(chunk.toString('utf8'));
    }
    return this.#ready[0];
  }

  take(): LogEntry | undefined {
    return this.#ready.shift();
  }

  /** Look for new lines again (following). */
  rewind(): void {
    this.#atEnd = false;
  }

  close(): Promise<void> {
    return this.#cursor.close();
  }
}

/** By time; the shim's RFC 3339 stamps (nanoseconds, Z) also sort as text when ms is unknown. */
function earlier(a: LogEntry, b: LogEntry): boolean {
  const d = a.ms - b.ms;
  return d < 0 || (!(d > 0) && a.time < b.time);
}

/** Emits every entry the readers have now, in time order, one chunk per reader in memory. */
async function mergeAvailable(
  readers: readonly Reader[],
  o: StreamLogsOptions,
  within: (e: LogEntry) => boolean,
): Promise<void> {
  for (const r of readers) r.rewind();
  for (;;) {
    if (o.signal?.aborted) return;
    let best: { r: Reader; e: LogEntry } | undefined;
    for (const r of readers) {
      const e = await r.peek();
      if (e && (!best || earlier(e, best.e))) best = { r, e };
    }
    if (!best) return;
    best.r.take();
    if (within(best.e)) await o.onLine({ source: best.r.source, entry: best.e });
  }
}

export async function streamLogs(o: StreamLogsOptions): Promise<void> {
  const readers = new Map<string, Reader>();
  const list = async (): Promise<Reader[]> => {
    const fresh: Reader[] = [];
    for (const s of await o.projectContainers()) {
      if (readers.has(s.id)) continue;
      const r = new Reader(s);
      readers.set(s.id, r);
      fresh.push(r);
    }
    return fresh;
  };
  const window = (e: LogEntry): boolean => inWindow(e, o.since, o.until);
  try {
    await list();
    if (o.tail !== undefined) {
      const tailOf = async (r: Reader): Promise<LogLineOut[]> =>
        (await r.tail(o.tail!, o.since, o.until)).map((entry) => ({ source: r.source, entry }));
      const tails = await Promise.all([...readers.values()].map(tailOf));
      for (const l of mergeByTime(tails)) await o.onLine(l);
    } else await mergeAvailable([...readers.values()], o, window);
    let listed = Date.now();
    while (o.follow && !o.signal?.aborted && !(o.until !== undefined && Date.now() >= o.until)) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (Date.now() - listed >= LIST_MS) {
        // A container that appeared while following shows all it has written (within the window).
        const fresh = await list();
        listed = Date.now();
        for (const r of fresh) await mergeAvailable([r], o, window);
      }
      await mergeAvailable([...readers.values()], o, window);
    }
  } finally {
    await Promise.all([...readers.values()].map((r) => r.close()));
  }
}
