// The container log on disk: container.log and the files the shim rotated it into
// (container.log.1 newest … container.log.N oldest). Readers hold one chunk at a time: a forward
// cursor that survives rotation (for `logs` and `logs -f`), and a backward scan for --tail that
// reads only the end of a multi-GB log.
// fs.promises is reached on use, not imported: node:fs/promises at this module's start loaded its
// internals (readline, streams) into every `exec`, which reads no log (issue 20, bench/RESULTS.md "exec20").
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { parseLogLine, type LogLine } from './logs.ts';

const CHUNK = 1 << 16;
/** The shim keeps at most this many files (max-file); no scan looks further. */
const MAX_ROTATED = 100;
/** The shim splits output at 16 KiB ("P" pieces): a longer run without a newline is no log line. */
const MAX_LINE = 1 << 20;

async function inode(path: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(path)).ino;
  } catch {
    return undefined;
  }
}

/** Rotated files that exist, newest first (container.log.1, .2, …). */
async function rotated(path: string): Promise<string[]> {
  const out: string[] = [];
  for (let k = 1; k <= MAX_ROTATED; k++) {
    if ((await inode(`${path}.${k}`)) === undefined) break;
    out.push(`${path}.${k}`);
  }
  return out;
}

/**
 * Reads a log forward, oldest rotated file first, in chunks. At the end of the current file it
 * stays there: a later read returns what was appended, and after a rotation it finishes the old
 * file (now container.log.K) and the ones rotated after it before the new container.log.
 */
export class LogCursor {
  readonly #path: string;
  #queue: string[] = [];
  #fh: FileHandle | undefined;
  #ino: number | undefined;
  #offset = 0;
  #started = false;

  constructor(path: string) {
    this.#path = path;
  }

  /** Start at the current end instead (after a tail): `offset` bytes into the current file. */
  static at(path: string, ino: number | undefined, offset: number): LogCursor {
    const c = new LogCursor(path);
    c.#started = true;
    c.#ino = ino;
    c.#offset = offset;
    return c;
  }

  /** The next chunk, or undefined when nothing more is written for now. */
  async read(): Promise<Buffer | undefined> {
    if (!this.#started) {
      this.#started = true;
      this.#queue = [...(await rotated(this.#path)).reverse(), this.#path];
    }
    for (;;) {
      if (!this.#fh && !(await this.#openNext())) return undefined;
      const buf = Buffer.alloc(CHUNK);
      const { bytesRead } = await this.#fh!.read(buf, 0, CHUNK, this.#offset);
      if (bytesRead > 0) {
        this.#offset += bytesRead;
        return buf.subarray(0, bytesRead);
      }
      if (this.#queue.length > 0) {
        await this.#close(); // a rotated file is complete: go on with the next newer one
        continue;
      }
      // At the end of the current file: truncated (max-file 1) or replaced (rotated)?
      if ((await this.#fh!.stat()).size < this.#offset) {
        this.#offset = 0;
        continue;
      }
      const now = await inode(this.#path);
      if (now === undefined || now === this.#ino) return undefined;
      // Rotated: what the shim wrote to ours before renaming it is read first (next turn).
      this.#queue = await this.#newerThanOurs();
    }
  }

  /** The files written after ours, oldest first: ours is container.log.K now. */
  async #newerThanOurs(): Promise<string[]> {
    const files = await rotated(this.#path);
    const k = files.length === 0 ? -1 : (await Promise.all(files.map(inode))).indexOf(this.#ino);
    return [...(k < 0 ? files : files.slice(0, k)).reverse(), this.#path];
  }

  async #openNext(): Promise<boolean> {
    if (this.#queue.length === 0) {
      if (this.#ino === undefined && (await inode(this.#path)) === undefined) return false;
      this.#queue = [this.#path]; // resume the current file (after a tail, or a missing file that now exists)
    }
    const file = this.#queue.shift()!;
    try {
      this.#fh = await fsp.open(file, 'r');
    } catch {
      return this.#queue.length > 0 ? this.#openNext() : false;
    }
    const ino = (await this.#fh.stat()).ino;
    if (ino !== this.#ino) this.#offset = 0; // a new file; the same one: keep our place in it
    this.#ino = ino;
    return true;
  }

  async #close(): Promise<void> {
    await this.#fh?.close();
    this.#fh = undefined;
    this.#ino = undefined;
  }

  async close(): Promise<void> {
    await this.#fh?.close();
    this.#fh = undefined;
  }
}

/** What a backward scan does with a whole (F) line: count it, pass over it, or stop there. */
export type TailVerdict = 'take' | 'skip' | 'stop';

export interface LogTail {
  /** Raw CRI lines in file order, enough for the last n whole lines to parse complete. */
  readonly lines: readonly string[];
  /** Where a follower continues: the current file and the offset just past its last newline. */
  readonly ino: number | undefined;
  readonly offset: number;
}

/**
 * The last n whole lines the verdict takes, reading backwards from the end of the current file
 * and on into the rotated ones, one chunk at a time. The P pieces just before the first taken
 * line come along: they start it.
 */
export async function readTail(
  path: string,
  n: number,
  verdict: (l: LogLine) => TailVerdict = () => 'take',
): Promise<LogTail> {
  if (n <= 0) {
    const st = await fsp.stat(path).catch(() => undefined);
    return { lines: [], ino: st?.ino, offset: st?.size ?? 0 };
  }
  const out: string[] = [];
  let taken = 0;
  let done = false;
  let ino: number | undefined;
  let offset = 0;
  const keep = (raw: string): void => {
    const l = parseLogLine(raw);
    if (!l) return;
    if (taken >= n) {
      if (l.full)
        done = true; // the pieces of the first taken line end at the previous whole line
      else out.push(raw);
      return;
    }
    if (!l.full) return void out.push(raw);
    const v = verdict(l);
    if (v === 'stop') done = true;
    else if (v === 'take') {
      out.push(raw);
      taken++;
    }
  };
  for (const file of [path, ...(await rotated(path))]) {
    let fh: FileHandle;
    try {
      fh = await fsp.open(file, 'r');
    } catch {
      continue;
    }
    try {
      const st = await fh.stat();
      if (file === path) ino = st.ino;
      let pos = st.size;
      let carry = Buffer.alloc(0);
      let trailing = true; // the bytes after the last newline: a line still being written
      while (pos > 0 && !done) {
        const from = Math.max(0, pos - CHUNK);
        const buf = Buffer.alloc(pos - from);
        await fh.read(buf, 0, buf.length, from);
        pos = from;
        const joined = Buffer.concat([buf, carry]);
        // [0, end) is unread; a newline ends it (consumed already, or the file's last one).
        let end = joined.length;
        if (trailing) {
          const nl = joined.lastIndexOf(10);
          if (nl < 0) {
            carry = joined;
            continue;
          }
          if (file === path) offset = pos + nl + 1; // the follower starts there
          end = nl;
          trailing = false;
        }
        while (end > 0 && !done) {
          const nl = joined.lastIndexOf(10, end - 1);
          if (nl < 0) break;
          keep(joined.toString('utf8', nl + 1, end));
          end = nl;
        }
        carry = Buffer.from(joined.subarray(0, end));
        if (carry.length > MAX_LINE) done = true; // no line of the shim's is this long: not a log
      }
      if (pos === 0 && !done && !trailing && carry.length > 0) keep(carry.toString('utf8'));
    } finally {
      await fh.close();
    }
    if (done) break;
  }
  return { lines: out.reverse(), ino, offset };
}
