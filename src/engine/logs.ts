// Reading a project's container logs for `logs` and attached `up`: everything already written
// (after --since/--until/--tail), interleaved by time; with follow, new lines of every file and
// the files of containers that appear later (scale-up, recreate), until the signal aborts.
import { open, type FileHandle } from 'node:fs/promises';
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
  readonly onLine: (line: LogLineOut) => void;
}

const POLL_MS = 100;
const LIST_MS = 500;

class Reader {
  readonly #parser = new LogParser();
  #offset = 0;
  readonly source: LogSource;
  constructor(source: LogSource) {
    this.source = source;
  }

  /** Whole entries appended since the last call; a missing file is empty for now. */
  async read(): Promise<LogEntry[]> {
    let fh: FileHandle;
    try {
      fh = await open(this.source.path, 'r');
    } catch {
      return [];
    }
    const out: LogEntry[] = [];
    try {
      const buf = Buffer.alloc(1 << 16);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        out.push(...this.#parser.push(buf.subarray(0, bytesRead).toString('utf8')));
      }
    } finally {
      await fh.close();
    }
    return out;
  }
}

export async function streamLogs(o: StreamLogsOptions): Promise<void> {
  const readers = new Map<string, Reader>();
  const batch = async (first: boolean): Promise<void> => {
    const lists: LogLineOut[][] = [];
    for (const r of readers.values()) {
      const fresh = (await r.read()).filter((e) => inWindow(e, o.since, o.until));
      lists.push((first ? tail(fresh, o.tail) : fresh).map((entry) => ({ source: r.source, entry })));
    }
    for (const l of mergeByTime(lists)) o.onLine(l);
  };
  const list = async (): Promise<void> => {
    for (const s of await o.projectContainers()) if (!readers.has(s.id)) readers.set(s.id, new Reader(s));
  };
  await list();
  await batch(true);
  let listed = Date.now();
  while (o.follow && !o.signal?.aborted && !(o.until !== undefined && Date.now() >= o.until)) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    if (Date.now() - listed >= LIST_MS) {
      const before = new Set(readers.keys());
      await list();
      listed = Date.now();
      // A container that appeared while following shows all it has written (within the window).
      for (const [id, r] of readers) if (!before.has(id)) await emitNew(r, o);
    }
    await batch(false);
  }
}

async function emitNew(r: Reader, o: StreamLogsOptions): Promise<void> {
  for (const entry of await r.read()) if (inWindow(entry, o.since, o.until)) o.onLine({ source: r.source, entry });
}
