// Builds tar archives byte by byte for tests, including entries no well-behaved tool writes
// (absolute names, "..", links through symlinks, pax records with binary keys), to prove the
// unpacker refuses them.
export interface RawEntry {
  readonly name: string;
  readonly type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char' | 'block';
  readonly linkname?: string;
  readonly data?: string | Buffer;
  readonly mode?: number;
  readonly devmajor?: number;
  readonly devminor?: number;
  /** Pax records written in an 'x' header before the entry (keys may hold any byte). */
  readonly pax?: Readonly<Record<string, string | Buffer>>;
}

const TYPE = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' } as const;

function header(e: RawEntry, size: number, flag: string = TYPE[e.type ?? 'file']): Buffer {
  const h = Buffer.alloc(512);
  const put = (s: string, off: number, len: number): void => void h.write(s.slice(0, len), off, len, 'utf8');
  const oct = (n: number, off: number, len: number): void => put(`${n.toString(8).padStart(len - 1, '0')}\0`, off, len);
  put(e.name, 0, 100);
  oct(e.mode ?? (e.type === 'dir' ? 0o755 : 0o644), 100, 8);
  oct(0, 108, 8);
  oct(0, 116, 8);
  oct(size, 124, 12);
  oct(1_700_000_000, 136, 12);
  h.write(flag, 156, 1, 'latin1');
  put(e.linkname ?? '', 157, 100);
  h.write('ustar\0', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  oct(e.devmajor ?? 0, 329, 8);
  oct(e.devminor ?? 0, 337, 8);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** "LEN key=value\n" records, LEN counting itself; built on bytes so keys and values stay binary. */
export function paxRecords(pax: Readonly<Record<string, string | Buffer>>): Buffer {
  const recs: Buffer[] = [];
  for (const [k, v] of Object.entries(pax)) {
    const body = Buffer.concat([Buffer.from(` ${k}=`), Buffer.from(v), Buffer.from('\n')]);
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    recs.push(Buffer.from(String(len)), body);
  }
  return Buffer.concat(recs);
}

const pad = (n: number): Buffer => Buffer.alloc((512 - (n % 512)) % 512);

export function buildTar(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.pax) {
      const recs = paxRecords(e.pax);
      parts.push(header({ name: 'PaxHeaders/x' }, recs.length, 'x'), recs, pad(recs.length));
    }
    const data = Buffer.from(e.data ?? '');
    parts.push(header(e, data.length), data, pad(data.length));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
