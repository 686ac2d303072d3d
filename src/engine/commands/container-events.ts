// `events`: the project's container events, read from the state root's journal (runtime/journal.ts)
// and followed by polling it, across rotations, until the signal aborts or --until passes.
import { setTimeout as delay } from 'node:timers/promises';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parseJournal, type JournalEvent } from '../../runtime/index.ts';
import { LABELS } from '../labels.ts';

/** A container event of the project, as `gantry events` prints it. */
export interface ProjectEvent {
  readonly time: string;
  readonly type: 'container';
  readonly action: string;
  readonly id: string;
  readonly service: string;
  /** Docker's attributes: name, details like exitCode, and the user's labels (no compose/gantry ones). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** `gantry events` flags as options. */
export interface EventsRequest {
  readonly services?: readonly string[];
  readonly since?: number; // epoch ms; without it, from now
  readonly until?: number;
  readonly signal?: AbortSignal;
  /** Called for each event. */
  readonly onEvent: (e: ProjectEvent) => void;
}

const POLL_MS = 100;
const INTERNAL = /^(com\.docker\.compose\.|io\.gantry\.)/;

export function toProjectEvent(e: JournalEvent): ProjectEvent {
  const attributes = Object.fromEntries(Object.entries(e.attributes).filter(([k]) => !INTERNAL.test(k)));
  return {
    time: e.time,
    type: 'container',
    action: e.action,
    id: e.id,
    service: e.attributes[LABELS.service] ?? '',
    attributes,
  };
}

/** Reads what was appended to one path since the last call; a rotation restarts it at 0. */
class JournalTail {
  readonly #path: string;
  #ino: number | undefined;
  #offset = 0;
  #partial = Buffer.alloc(0); // bytes, not text: a read may end inside a UTF-8 character
  constructor(path: string, fromStart: boolean) {
    this.#path = path;
    if (!fromStart) {
      const st = statOf(path);
      this.#ino = st?.ino;
      this.#offset = st?.size ?? 0;
    }
  }

  read(): string {
    const st = statOf(this.#path);
    if (!st) return '';
    if (st.ino !== this.#ino || st.size < this.#offset) {
      // rotated: what the old file got after our last read went to .1 with it; read that rest first
      const rest =
        this.#ino !== undefined && statOf(`${this.#path}.1`)?.ino === this.#ino
          ? readFrom(`${this.#path}.1`, this.#offset)
          : Buffer.alloc(0);
      this.#ino = st.ino;
      this.#offset = 0;
      this.#partial = Buffer.concat([this.#partial, rest]);
    }
    const fresh = readFrom(this.#path, this.#offset);
    this.#offset += fresh.length;
    const all = Buffer.concat([this.#partial, fresh]);
    const cut = all.lastIndexOf(0x0a) + 1;
    this.#partial = Buffer.from(all.subarray(cut));
    return all.subarray(0, cut).toString('utf8');
  }
}

function statOf(p: string): { ino: number; size: number } | undefined {
  try {
    const s = statSync(p);
    return { ino: s.ino, size: s.size };
  } catch {
    return undefined;
  }
}

function readFrom(p: string, offset: number): Buffer {
  let fd: number;
  try {
    fd = openSync(p, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(1 << 16);
    for (let at = offset; ;) {
      const n = readSync(fd, buf, 0, buf.length, at);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      at += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

export async function followEvents(journal: string, project: string, req: EventsRequest): Promise<void> {
  const since = req.since;
  const until = req.until ?? Infinity;
  const wanted = (e: JournalEvent): boolean => {
    if (e.attributes[LABELS.project] !== project) return false;
    if (req.services && req.services.length > 0 && !req.services.includes(e.attributes[LABELS.service] ?? ''))
      return false;
    const t = Date.parse(e.time);
    return (since === undefined || t >= since) && t <= until;
  };
  const emit = (text: string): void => {
    for (const e of parseJournal(text)) if (wanted(e)) req.onEvent(toProjectEvent(e));
  };
  const tail = new JournalTail(journal, since !== undefined);
  if (since !== undefined) emit(readFrom(`${journal}.1`, 0).toString('utf8'));
  while (!req.signal?.aborted) {
    emit(tail.read());
    if (Date.now() > until) return;
    await delay(POLL_MS, undefined, req.signal ? { signal: req.signal } : {}).catch(() => undefined);
  }
}
