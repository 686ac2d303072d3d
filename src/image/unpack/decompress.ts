// Layer decompression chosen by magic bytes (registries label media types loosely): gzip via
// zlib, zstd via zlib when this Node has it (22.15+), else fzstd; anything else is a plain tar.
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

type ZstdFactory = () => Transform;
const nativeZstd = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

function decompressor(kind: Compression): Transform | undefined {
  if (kind === 'gzip') return zlib.createGunzip({ chunkSize: 256 * 1024 });
  if (kind === 'zstd') return nativeZstd ? nativeZstd() : new FzstdStream();
  return undefined;
}

/** Peeks the first bytes of source, then yields the decompressed stream. */
export async function* decompress(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  while (headLen < 4) {
    const r = await it.next();
    if (r.done) break;
    head.push(r.value);
    headLen += r.value.length;
  }
  const first = Buffer.concat(head);
  const d = decompressor(detectCompression(first));
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
