// Where things live under the image root: an OCI image layout (oci-layout, index.json,
// blobs/sha256) plus gantry's own tmp/, locks/ and unpacked layers/ beside it.
import { writeFile, rename, open } from 'node:fs/promises';
import { join } from 'node:path';
import { randomHex } from '../../common/lazy-crypto.ts';
import { digestHex } from '../digest.ts';
import { mkdirPrivateAsync } from '../../common/private-files.ts';

export interface Layout {
  readonly root: string;
  readonly blobs: string;
  readonly tmp: string;
  readonly locks: string;
  readonly layers: string;
  readonly index: string;
}

export function layoutOf(root: string): Layout {
  return {
    root,
    blobs: join(root, 'blobs', 'sha256'),
    tmp: join(root, 'tmp'),
    locks: join(root, 'locks'),
    layers: join(root, 'layers'),
    index: join(root, 'index.json'),
  };
}

export async function ensureLayout(l: Layout): Promise<void> {
  for (const d of [l.blobs, l.tmp, l.locks, l.layers]) await mkdirPrivateAsync(d);
  await writeFile(join(l.root, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}\n', { flag: 'wx' }).catch(
    () => undefined,
  );
}

export const blobPath = (l: Layout, digest: string): string => join(l.blobs, digestHex(digest));

/**
 * Layer directories get short names (16 hex of the diff_id): overlay's mount options are one
 * page long, and the runtime lists every lowerdir in them.
 */
export const layerName = (diffId: string): string => digestHex(diffId, 'diff_id').slice(0, 16);
export const layerDir = (l: Layout, diffId: string): string => join(l.layers, layerName(diffId));

export function tmpName(l: Layout, what: string): string {
  return join(l.tmp, `${what}-${process.pid}-${randomHex(6)}`);
}

/** Writes a file atomically: temp file, fsync, rename. Readers see the old or the new file. */
export async function writeAtomic(l: Layout, path: string, data: string | Buffer): Promise<void> {
  const tmp = tmpName(l, 'write');
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}
