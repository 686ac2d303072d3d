// Reads an image archive (docker save or OCI, plain or gzip) in one pass: every file goes to a
// temp file while it is hashed; small files are also kept in memory for the JSON we parse.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { rm } from 'node:fs/promises';
import { ByteReader } from '../unpack/byte-reader.ts';
import { decompress } from '../unpack/decompress.ts';
import { readTar, type TarEntry } from '../unpack/tar-reader.ts';
import { tmpName, type Layout } from '../store/layout.ts';
import type { ArchiveSource } from '../types.ts';

export interface ArchiveFile {
  readonly tmp: string;
  readonly digest: string;
  readonly size: number;
  readonly head: Buffer; // first bytes: compression detection
  readonly bytes?: Buffer; // whole content when small
}

export interface ArchiveContents {
  file(name: string): ArchiveFile | undefined;
  cleanup(): Promise<void>;
}

const SMALL = 4 * 1024 * 1024;
const clean = (name: string): string =>
  posix
    .normalize(name)
    .replace(/^(\.\/)+|\/$/g, '')
    .replace(/^\/+/, '');

/** Writes one archive member to a temp file, hashing it; keeps small members in memory. */
async function spool(l: Layout, e: TarEntry, tmps: string[]): Promise<ArchiveFile> {
  const tmp = tmpName(l, 'archive');
  tmps.push(tmp);
  const out = createWriteStream(tmp, { flags: 'wx' });
  const hash = createHash('sha256');
  const small: Buffer[] = [];
  let size = 0;
  for await (const c of e.body) {
    hash.update(c);
    if (e.header.size <= SMALL || size < 16) small.push(Buffer.from(c));
    size += c.length;
    if (!out.write(c)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  const all = Buffer.concat(small);
  return {
    tmp,
    digest: `sha256:${hash.digest('hex')}`,
    size,
    head: all.subarray(0, 16),
    ...(e.header.size <= SMALL ? { bytes: all } : {}),
  };
}

export async function readArchive(l: Layout, source: ArchiveSource): Promise<ArchiveContents> {
  const files = new Map<string, ArchiveFile>();
  const links = new Map<string, string>();
  const tmps: string[] = [];
  const cleanup = async (): Promise<void> => {
    for (const t of tmps) await rm(t, { force: true });
  };
  try {
    const data = typeof source === 'string' ? (createReadStream(source) as AsyncIterable<Buffer>) : source.data;
    for await (const e of readTar(new ByteReader(decompress(data)))) {
      const name = clean(e.header.name);
      if (e.header.type === 'symlink') links.set(name, clean(posix.join(posix.dirname(name), e.header.linkname)));
      if (e.header.type === 'hardlink') links.set(name, clean(e.header.linkname));
      if (e.header.type === 'file') files.set(name, await spool(l, e, tmps));
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  const lookup = (name: string, depth = 0): ArchiveFile | undefined => {
    const n = clean(name);
    const target = links.get(n);
    return files.get(n) ?? (target !== undefined && depth < 16 ? lookup(target, depth + 1) : undefined);
  };
  return { file: lookup, cleanup };
}
