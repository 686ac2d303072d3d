// A layer blob read from a file outside the store (an imported build cache): brought in the way a
// pulled layer is (ingest.ts), so its digest and diff_id are checked before anything is applied.
import { createReadStream } from 'node:fs';
import type { Descriptor } from '../manifest.ts';
import type { StoredLayer } from '../types.ts';
import { ensureLayer } from './ingest.ts';
import { layerDir, type Layout } from './layout.ts';

export async function importLayer(l: Layout, file: string, diffId: string, d: Descriptor): Promise<StoredLayer> {
  const source = async (): Promise<AsyncIterable<Buffer>> => createReadStream(file) as AsyncIterable<Buffer>;
  await ensureLayer(l, { descriptor: d, diffId, label: 'build cache', fetch: source });
  return { diffId, descriptor: d, dir: layerDir(l, diffId) };
}
