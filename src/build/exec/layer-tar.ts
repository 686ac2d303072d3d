// A layer directory in overlayfs form → the OCI layer tar (gzip) a registry and `image save`
// carry: a 0/0 character device (overlay's deletion mark) becomes a `.wh.NAME` file, a directory
// with trusted.overlay.opaque=y gets a `.wh..wh..opq` entry, hard links within the layer stay
// links. Text xattrs (user.*) are kept; overlay's own and binary ones are not (tar-stream's pax
// values are strings). The xattrs are read by `gantry-shim xattrs-list` walking directory fds.
import { createWriteStream, createReadStream } from 'node:fs';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createGzip } from 'node:zlib';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { shimBinary } from '../../common/shim-binary.ts';
import type { Header, Pack } from 'tar-stream';
import { readAhead } from './read-ahead.ts';

type Headers = Partial<Header> & { name: string };

export interface LayerTar {
  readonly diffId: string;
  readonly size: number;
}

const exec = promisify(execFile);

/** Records of three length-prefixed fields (u32 LE + bytes): path, name, value (xattrs-list's output). */
export function parseXattrRecords(out: Buffer): Map<string, Map<string, Buffer>> {
  const map = new Map<string, Map<string, Buffer>>();
  let at = 0;
  const field = (): Buffer => {
    if (at + 4 > out.length) throw new Error('gantry-shim xattrs-list: truncated output');
    const n = out.readUInt32LE(at);
    if (at + 4 + n > out.length) throw new Error('gantry-shim xattrs-list: truncated output');
    const b = out.subarray(at + 4, at + 4 + n);
    at += 4 + n;
    return b;
  };
  while (at < out.length) {
    const path = field().toString('utf8');
    const name = field().toString('utf8');
    const value = Buffer.from(field());
    let m = map.get(path);
    if (!m) map.set(path, (m = new Map()));
    m.set(name, value);
  }
  return map;
}

/** path → xattrs of every entry of the layer, read by the shim through directory fds (never by path). */
async function layerXattrs(root: string): Promise<Map<string, Map<string, Buffer>>> {
  const r = await exec(shimBinary(), ['xattrs-list', root], { encoding: 'buffer', maxBuffer: 256 << 20 });
  return parseXattrRecords(r.stdout);
}

class Hasher extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

/** Files up to this size go in as one buffer: a read stream and a pipe per file cost more than the read. */
const SMALL_FILE = 1 << 20;

/** One tar entry; `body` is a file to stream in, or a small file's content read whole. */
function entry(pack: Pack, h: Headers, body?: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (Buffer.isBuffer(body)) {
      pack.entry({ ...h, size: body.length } as Header, body, done);
      return;
    }
    const s = pack.entry(h as Header, done);
    if (body !== undefined) createReadStream(body).on('error', reject).pipe(s);
    else s.end('');
  });
}

function textXattrs(x: Map<string, Buffer> | undefined): Record<string, string> | undefined {
  if (!x) return undefined;
  const pax: Record<string, string> = {};
  for (const [k, v] of x) {
    if (k.startsWith('trusted.overlay.') || k === 'security.selinux') continue;
    const text = v.toString('utf8');
    if (Buffer.from(text).equals(v)) pax[`SCHILY.xattr.${k}`] = text;
  }
  return Object.keys(pax).length > 0 ? pax : undefined;
}

async function walk(
  pack: Pack,
  root: string,
  rel: string,
  xattrs: Map<string, Map<string, Buffer>>,
  inodes: Map<bigint, string>,
): Promise<void> {
  const names = (await readdir(join(root, rel))).sort();
  const take = readAhead(join(root, rel), names);
  for (let i = 0; i < names.length; i++) {
    const { name, st, body: read } = await take();
    const path = rel === '' ? name : `${rel}/${name}`;
    const abs = join(root, path);
    const base = {
      name: path,
      mode: Number(st.mode & 0o7777n),
      uid: Number(st.uid),
      gid: Number(st.gid),
      mtime: new Date(Number(st.mtimeMs)),
    };
    const pax = textXattrs(xattrs.get(path));
    const meta = pax ? { ...base, pax } : base;
    if (st.isCharacterDevice() && st.rdev === 0n) {
      const wh = rel === '' ? `.wh.${name}` : `${rel}/.wh.${name}`;
      await entry(pack, { name: wh, type: 'file', size: 0, mode: 0o644, mtime: base.mtime });
    } else if (st.isDirectory()) {
      await entry(pack, { ...meta, type: 'directory' });
      if (xattrs.get(path)?.get('trusted.overlay.opaque')?.toString() === 'y') {
        await entry(pack, { name: `${path}/.wh..wh..opq`, type: 'file', size: 0, mode: 0o644, mtime: base.mtime });
      }
      await walk(pack, root, path, xattrs, inodes);
    } else if (st.isSymbolicLink()) {
      await entry(pack, { ...meta, type: 'symlink', linkname: await readlink(abs) });
    } else if (st.isFile()) {
      const first = st.nlink > 1n ? inodes.get(st.ino) : undefined;
      if (first !== undefined) await entry(pack, { ...meta, type: 'link', linkname: first });
      else {
        if (st.nlink > 1n) inodes.set(st.ino, path);
        const body = read ?? (st.size <= SMALL_FILE ? await readFile(abs) : abs);
        await entry(pack, { ...meta, type: 'file', size: Number(st.size) }, body);
      }
    } else if (st.isFIFO()) await entry(pack, { ...meta, type: 'fifo' });
    else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const rdev = Number(st.rdev);
      await entry(pack, {
        ...meta,
        type: st.isCharacterDevice() ? 'character-device' : 'block-device',
        devmajor: (rdev >> 8) & 0xfff,
        devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00),
      });
    }
  }
}

/**
 * Writes the gzip tar of `root` to `out`; returns the diff_id (sha256 of the plain tar) and its size.
 * `xattrs`: false for a layer gantry wrote itself without any (COPY from a context, WORKDIR); the
 * listing already made (a RUN's, by its shim); absent, `gantry-shim xattrs-list` lists the layer.
 * The listing is a process, and a spawn from this process costs more than the rest of a small layer.
 */
export async function writeLayerTar(
  root: string,
  out: string,
  o: { xattrs?: false | Buffer | undefined } = {},
): Promise<LayerTar> {
  const { pack: makePack } = await import('tar-stream');
  const pack = makePack();
  const xattrs =
    o.xattrs === false
      ? new Map<string, Map<string, Buffer>>()
      : o.xattrs === undefined
        ? await layerXattrs(root)
        : parseXattrRecords(o.xattrs);
  const hasher = new Hasher();
  const done = pipeline(pack, hasher, createGzip(), createWriteStream(out, { flags: 'wx' }));
  try {
    await walk(pack, root, '', xattrs, new Map());
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
  }
  await done;
  return { diffId: `sha256:${hasher.hash.digest('hex')}`, size: hasher.bytes };
}
