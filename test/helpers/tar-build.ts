// Builds tar archives byte by byte for tests, including entries no well-behaved tool writes
// (absolute names, "..", links through symlinks), to prove the unpacker refuses them.
export interface RawEntry {
  readonly name: string;
  readonly type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';
  readonly linkname?: string;
  readonly data?: string;
  readonly mode?: number;
}

const TYPE = { file: '0', hardlink: '1', symlink: '2', dir: '5', fifo: '6' } as const;

function header(e: RawEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (s: string, off: number, len: number): void => void h.write(s.slice(0, len), off, len, 'utf8');
  const oct = (n: number, off: number, len: number): void => put(`${n.toString(8).padStart(len - 1, '0')}\0`, off, len);
  put(e.name, 0, 100);
  oct(e.mode ?? (e.type === 'dir' ? 0o755 : 0o644), 100, 8);
  oct(0, 108, 8);
  oct(0, 116, 8);
  oct(size, 124, 12);
  oct(1_700_000_000, 136, 12);
  h.write(TYPE[e.type ?? 'file'], 156, 1, 'latin1');
  put(e.linkname ?? '', 157, 100);
  h.write('ustar\0', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

export function buildTar(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? '');
    parts.push(header(e, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
