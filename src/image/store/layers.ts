// Unpacked layers: one directory per diff_id under layers/, unpacked once into a temp dir and
// renamed into place (the rename is the atomic "done" marker), under a per-layer lock so two
// processes never unpack or download the same layer at the same time.
import { access, mkdir, rename, rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withLock } from './lock.ts';
import { layerDir, layerName, tmpName, type Layout } from './layout.ts';
import { digestHex } from '../digest.ts';
import { removeInsideAsync } from '../../common/remove-inside.ts';

export const layerReady = (l: Layout, diffId: string): Promise<boolean> =>
  access(layerDir(l, diffId)).then(
    () => true,
    () => false,
  );

/** Sidecar with the full diff_id and unpacked size (the directory name is only a prefix). */
const metaPath = (l: Layout, diffId: string): string => join(l.layers, `${layerName(diffId)}.json`);

export async function layerSize(l: Layout, diffId: string): Promise<number> {
  const text = await readFile(metaPath(l, diffId), 'utf8').catch(() => '{}');
  return (JSON.parse(text) as { size?: number }).size ?? 0;
}

/** Runs fn under the lock of one layer (keyed by the blob digest being fetched or unpacked). */
export function withLayerLock<T>(
  l: Layout,
  blobDigest: string,
  fn: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  return withLock(join(l.locks, `layer-${digestHex(blobDigest)}.lock`), fn, signal ? { signal } : {});
}

/**
 * Unpacks into a fresh temp dir with fill(dir), then moves it into place under the diff_id
 * fill computed (and verified, when it was known). Losing a race to another blob of the same diff_id is fine.
 */
export async function installLayer(
  l: Layout,
  fill: (dir: string) => Promise<{ diffId: string; size: number }>,
): Promise<string> {
  // The layer is filled one level down in a 0700 dir: until it is verified and renamed into
  // place, no other host user reaches its files (setuid binaries, device nodes), whatever
  // modes the layer gives them.
  const priv = tmpName(l, 'layer');
  await mkdir(priv, { mode: 0o700 });
  const tmp = join(priv, 'root');
  try {
    await mkdir(tmp, { mode: 0o755 });
    const { diffId, size } = await fill(tmp);
    await writeFile(metaPath(l, diffId), `${JSON.stringify({ diffId, size })}\n`);
    await rename(tmp, layerDir(l, diffId)).catch(async (err: unknown) => {
      if (!(await layerReady(l, diffId))) throw err;
    });
    return diffId;
  } finally {
    await removeInsideAsync(l.tmp, priv);
  }
}

export async function removeLayer(l: Layout, name: string): Promise<void> {
  // Rename first so a half-deleted layer is never taken for a complete one.
  const aside = tmpName(l, 'rmlayer');
  await rename(join(l.layers, name), aside).catch(() => undefined);
  await rm(join(l.layers, `${name}.json`), { force: true });
  await removeInsideAsync(l.tmp, aside);
}
