// Layer decompression chosen by magic bytes (registries label media types loosely): gzip via
// zlib, zstd via zlib when this Node has it (22.15+), else fzstd, or the zstd binary for frames
// whose window is beyond fzstd's 32 MiB limit; anything else is a plain tar.
import { spawn } from 'node:child_process';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd' | 'none';

export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/** fzstd as a stream: its callback API pushes decompressed chunks as they come. */
class FzstdStream extends Transform {
  private readonly z = new Decompress((chunk) => {
    if (chunk.length) this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
  });
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    try {
      this.z.push(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
  override _flush(cb: TransformCallback): void {
    try {
      this.z.push(new Uint8Array(0), true);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}

/** The window a zstd frame needs (RFC 8878, frame header), or undefined when head is too short. */
export function zstdWindow(head: Buffer): number | undefined {
  if (head.length < 6 || detectCompression(head) !== 'zstd') return undefined;
  const fhd = head[4]!;
  if (!((fhd >> 5) & 1)) {
    const wd = head[5]!;
    const base = 2 ** (10 + (wd >> 3));
    return base + (base / 8) * (wd & 7);
  }
  // Single segment: the window is the frame content size, stored after the dictionary id.
  const off = 5 + [0, 1, 2, 4][fhd & 3]!;
  const size = [1, 2, 4, 8][fhd >> 6]!;
  if (head.length < off + size) return undefined;
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + head[off + i]!;
  return size === 2 ? v + 256 : v;
}

const FZSTD_MAX_WINDOW = 2 ** 25;

/** `zstd -dc` as a stream, for frames fzstd cannot take. */
function zstdBinary(): Transform {
  const child = spawn('zstd', ['-dcq', '--long=31'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  child.on('error', () => undefined); // surfaces as a failed write or a bad exit below
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      if (!child.stdin.write(chunk)) child.stdin.once('drain', () => cb());
      else cb();
    },
    flush(cb) {
      child.stdin.end();
      void exited.then((code) => cb(code === 0 ? null : new Error(`zstd -dc failed (${code}): ${stderr.trim()}`)));
    },
    construct(cb) {
      child.stdout.on('data', (d: Buffer) => this.push(d));
      cb();
    },
  });
}

type ZstdFactory = () => Transform;
const nativeZstd = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

function decompressor(kind: Compression, head: Buffer): Transform | undefined {
  if (kind === 'gzip') return zlib.createGunzip({ chunkSize: 256 * 1024 });
  if (kind !== 'zstd') return undefined;
  if (nativeZstd) return nativeZstd();
  return (zstdWindow(head) ?? 0) > FZSTD_MAX_WINDOW ? zstdBinary() : new FzstdStream();
}

/** Peeks the first bytes of source, then yields the decompressed stream. */
export async function* decompress(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  while (headLen < 18) {
    // enough for a zstd frame header
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
    headLen += r.value.length;
  }
  const first = Buffer.concat(head);
  const d = decompressor(detectCompression(first), first);
  async function* whole(): AsyncGenerator<Buffer> {
    if (first.length) yield first;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  if (!d) {
    yield* whole();
    return;
  }
  const input = Readable.from(whole(), { objectMode: false });
  input.on('error', (err) => d.destroy(err));
  input.pipe(d);
  try {
    for await (const chunk of d) yield chunk as Buffer;
  } finally {
    input.destroy();
  }
}
