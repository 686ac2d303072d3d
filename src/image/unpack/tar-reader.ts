// A streaming tar reader (ustar, pax, GNU long names), written here because node-tar's Pax
// parser keeps only known keys and decodes values as text: xattrs (SCHILY.xattr.*, binary
// values such as security.capability) would be lost.
import { ByteReader } from './byte-reader.ts';

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number; // seconds, may be fractional (pax)
  readonly atime?: number;
  readonly linkname: string;
  readonly devmajor: number;
  readonly devminor: number;
  readonly xattrs: ReadonlyMap<string, Buffer>;
}

export interface TarEntry {
  readonly header: TarHeader;
  /** The entry's data; read it fully or not at all before asking for the next entry. */
  readonly body: AsyncIterable<Buffer>;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

function cstr(b: Buffer, start: number, len: number): string {
  const f = b.subarray(start, start + len);
  const nul = f.indexOf(0);
  return (nul < 0 ? f : f.subarray(0, nul)).toString('utf8');
}

/** Octal, or GNU base-256 when the high bit of the first byte is set. */
function num(b: Buffer, start: number, len: number): number {
  const f = b.subarray(start, start + len);
  if (f[0]! & 0x80) {
    let v = f[0]! & 0x7f;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i]!;
    return v;
  }
  const s = cstr(b, start, len).trim();
  return s === '' ? 0 : Number.parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return sum === num(h, 148, 8);
}

/** Pax records "LEN key=value\n", parsed on bytes so binary values survive. */
function parsePax(b: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let i = 0;
  while (i < b.length) {
    const sp = b.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number.parseInt(b.subarray(i, sp).toString('ascii'), 10);
    if (!Number.isInteger(len) || len <= 0 || i + len > b.length) throw new Error('malformed pax header');
    const rec = b.subarray(sp + 1, i + len - 1); // drop trailing \n
    const eq = rec.indexOf(0x3d);
    if (eq > 0) out.set(rec.subarray(0, eq).toString('utf8'), rec.subarray(eq + 1));
    i += len;
  }
  return out;
}

interface Pending {
  pax: Map<string, Buffer>;
  longName?: string;
  longLink?: string;
}

function buildHeader(h: Buffer, p: Pending, global: ReadonlyMap<string, Buffer>): TarHeader {
  const pax = new Map([...global, ...p.pax]);
  const str = (k: string): string | undefined => pax.get(k)?.toString('utf8');
  const prefix = h.subarray(257, 263).toString('latin1').startsWith('ustar') ? cstr(h, 345, 155) : '';
  const baseName = cstr(h, 0, 100);
  const name = str('path') ?? p.longName ?? (prefix ? `${prefix}/${baseName}` : baseName);
  const flag = String.fromCharCode(h[156]!);
  const type = TYPES[flag];
  if (!type) throw new Error(`unsupported tar entry type "${flag}" for "${name}"`);
  const xattrs = new Map<string, Buffer>();
  for (const [k, v] of pax) if (k.startsWith('SCHILY.xattr.')) xattrs.set(k.slice(13), v);
  const n = (k: string, fallback: number): number => {
    const s = str(k);
    const v = s === undefined ? fallback : Number(s);
    // mtime may be fractional or before 1970; ids and sizes are whole and non-negative.
    const ok = k === 'mtime' ? Number.isFinite(v) : Number.isSafeInteger(v) && v >= 0;
    if (!ok) throw new Error(`invalid ${k} "${s ?? fallback}" for "${name}"`);
    return v;
  };
  const atime = str('atime');
  return {
    name,
    type,
    xattrs,
    mode: num(h, 100, 8) & 0o7777,
    uid: n('uid', num(h, 108, 8)),
    gid: n('gid', num(h, 116, 8)),
    size: n('size', num(h, 124, 12)),
    mtime: n('mtime', num(h, 136, 12)),
    ...(atime !== undefined ? { atime: Number(atime) } : {}),
    linkname: str('linkpath') ?? p.longLink ?? cstr(h, 157, 100),
    devmajor: num(h, 329, 8),
    devminor: num(h, 337, 8),
  };
}

/** Pax and GNU long-name records are held in memory: capped as Go's archive/tar caps them. */
const MAX_META_RECORD = 1024 * 1024;

async function readRecord(r: ByteReader, size: number): Promise<Buffer> {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_META_RECORD) {
    throw new Error(`tar metadata record of ${size} bytes (at most ${MAX_META_RECORD})`);
  }
  const b = size === 0 ? Buffer.alloc(0) : await r.read(size);
  if (!b) throw new Error('unexpected end of tar');
  await r.skip((512 - (size % 512)) % 512);
  return Buffer.from(b); // copy: views into source chunks must not outlive them
}

/** Yields the entries of a tar stream; the reader stops at the end-of-archive marker. */
export async function* readTar(reader: ByteReader): AsyncGenerator<TarEntry> {
  let pending: Pending = { pax: new Map() };
  let global = new Map<string, Buffer>();
  for (;;) {
    const h = await reader.read(512);
    if (!h || h.every((x) => x === 0)) return;
    if (!checksumOk(h)) throw new Error('invalid tar header checksum');
    const flag = String.fromCharCode(h[156]!);
    const size = num(h, 124, 12);
    if (flag === 'x') pending.pax = parsePax(await readRecord(reader, size));
    else if (flag === 'g') global = new Map([...global, ...parsePax(await readRecord(reader, size))]);
    else if (flag === 'L') pending.longName = cstr(await readRecord(reader, size), 0, size);
    else if (flag === 'K') pending.longLink = cstr(await readRecord(reader, size), 0, size);
    else {
      const header = buildHeader(h, pending, global);
      pending = { pax: new Map() };
      // Whatever the consumer leaves unread (all of it, or the rest after a break) is skipped.
      let remaining = header.size;
      const body = (async function* () {
        for await (const c of reader.stream(remaining)) {
          remaining -= c.length;
          yield c;
        }
      })();
      yield { header, body };
      await reader.skip(remaining);
      await reader.skip((512 - (header.size % 512)) % 512);
    }
  }
}
