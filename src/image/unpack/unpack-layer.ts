// One layer blob → one directory: decompress, hash the uncompressed stream (diff_id) while
// writing entries, verify against what the image config promises (and the blob digest, through
// the caller's verify), and only then apply the privileged parts: device nodes and xattrs. The
// caller owns the directory's lifecycle (a private temp dir renamed into place only when this
// succeeds).
import { createHash } from 'node:crypto';
import { RuntimeError } from '../../common/errors.ts';
import { ByteReader } from './byte-reader.ts';
import { decompress } from './decompress.ts';
import { LayerWriter } from './layer-writer.ts';
import { readTar } from './tar-reader.ts';
import { LayerEntryError } from './entry-path.ts';

export interface UnpackedLayer {
  readonly diffId: string;
  /** Uncompressed tar size in bytes. */
  readonly size: number;
}

/** Feeds every chunk to fn on its way through (hashing, counting, progress). */
export async function* tap(source: AsyncIterable<Buffer>, fn: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    fn(chunk);
    yield chunk;
  }
}

export async function unpackLayer(
  source: AsyncIterable<Buffer>,
  dir: string,
  label: string,
  expectedDiffId?: string,
  /** Called once the whole source is read, before anything privileged is applied: throws to reject. */
  verify?: () => Promise<void>,
): Promise<UnpackedLayer> {
  const hash = createHash('sha256');
  let size = 0;
  const reader = new ByteReader(
    tap(decompress(source), (c) => {
      hash.update(c);
      size += c.length;
    }),
  );
  const writer = new LayerWriter(dir, label);
  try {
    for await (const entry of readTar(reader)) await writer.apply(entry);
    await reader.drain();
  } catch (err) {
    throw wrap(err, label);
  }
  const diffId = `sha256:${hash.digest('hex')}`;
  if (expectedDiffId !== undefined && diffId !== expectedDiffId) {
    throw new LayerEntryError(
      `image ${label}: layer content digest ${diffId} does not match diff_id ${expectedDiffId} in the image config`,
    );
  }
  await verify?.();
  try {
    await writer.finish();
  } catch (err) {
    throw wrap(err, label);
  }
  return { diffId, size };
}

function wrap(err: unknown, label: string): unknown {
  if (err instanceof RuntimeError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new RuntimeError(`image ${label}: unpacking a layer failed: ${why}`, { cause: err });
}
