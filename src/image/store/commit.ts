// What a build adds to the store: a layer made elsewhere (its directory already in overlayfs
// form, its compressed tar already written) moved in whole, and an image assembled from a
// config and layer descriptors. The blob is hashed here, never trusted from the caller.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { sha256 } from '../../common/lazy-crypto.ts';
import { join } from 'node:path';
import { MT, type Descriptor, type Manifest } from '../manifest.ts';
import { putBlob, readJsonBlob, hasBlob } from './blobs.ts';
import { blobPath, layerDir, layerName, type Layout } from './layout.ts';
import { layerReady } from './layers.ts';
import { describe, findEntries, recordImage } from './images.ts';
import type { ImageDocuments, LocalImage, NewLayer, StoredLayer } from '../types.ts';

async function fileDigest(path: string): Promise<string> {
  const h = sha256();
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return `sha256:${h.digest('hex')}`;
}

export async function addLayer(l: Layout, layer: NewLayer): Promise<StoredLayer> {
  const digest = await fileDigest(layer.blob);
  const size = (await stat(layer.blob)).size;
  if (await hasBlob(l, digest)) await rm(layer.blob, { force: true });
  else await rename(layer.blob, blobPath(l, digest));
  if (await layerReady(l, layer.diffId)) await rm(layer.dir, { recursive: true, force: true });
  else {
    await writeFile(
      join(l.layers, `${layerName(layer.diffId)}.json`),
      `${JSON.stringify({ diffId: layer.diffId, size: layer.size })}\n`,
    );
    await rename(layer.dir, layerDir(l, layer.diffId)).catch(async (err: unknown) => {
      // Two builds made the same layer at once (an empty RUN layer, say): the first one in is kept.
      if (!(await layerReady(l, layer.diffId))) throw err;
      await rm(layer.dir, { recursive: true, force: true });
    });
  }
  return {
    diffId: layer.diffId,
    descriptor: { mediaType: MT.ociLayerGzip, digest, size },
    dir: layerDir(l, layer.diffId),
  };
}

/** A layer the store holds in both forms (blob and directory), or undefined. */
export async function findLayer(l: Layout, diffId: string, descriptor: Descriptor): Promise<StoredLayer | undefined> {
  const ok = (await hasBlob(l, descriptor.digest)) && (await layerReady(l, diffId));
  return ok ? { diffId, descriptor, dir: layerDir(l, diffId) } : undefined;
}

export async function imageDocuments(l: Layout, ref: string): Promise<ImageDocuments | undefined> {
  const found = await findEntries(l, ref);
  if (!found) return undefined;
  const m = await readJsonBlob<Manifest>(l, found.image.manifestDigest);
  const config = await readJsonBlob<Record<string, unknown>>(l, m.config.digest);
  const diffIds = (config['rootfs'] as { diff_ids?: string[] } | undefined)?.diff_ids ?? [];
  const layers = m.layers.map((d, i) => ({ diffId: diffIds[i]!, descriptor: d, dir: layerDir(l, diffIds[i]!) }));
  return { image: found.image, config, layers };
}

/** Stores config + manifest and points refs at it (no refs: a dangling image named by its digest). */
export async function createImage(
  l: Layout,
  config: Record<string, unknown>,
  layers: readonly Descriptor[],
  refs: readonly string[],
): Promise<LocalImage> {
  await mkdir(l.blobs, { recursive: true });
  const cfg = Buffer.from(JSON.stringify(config));
  const cfgDigest = await putBlob(l, cfg);
  const manifest = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: cfgDigest, size: cfg.length },
    layers: layers.map((d) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const names = refs.length > 0 ? refs : [`sha256:${sha256().update(bytes).digest('hex')}`];
  const desc = await recordImage(l, bytes, names);
  return describe(l, desc.digest, refs);
}
