// The build cache's index: step cache key → the layer it produced (diff_id, blob descriptor,
// when it was made). One small JSON file per key under the state root's build/cache; an entry
// whose layer the store no longer holds (pruned) is a miss, never an error.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageStore, LayerDescriptor, StoredLayer } from '../../image/index.ts';

export interface CachedLayer {
  readonly layer: StoredLayer;
  readonly created: string;
}

interface Entry {
  readonly diffId: string;
  readonly descriptor: LayerDescriptor;
  readonly created: string;
}

export class CacheIndex {
  private readonly dir: string;
  private readonly store: ImageStore;
  constructor(dir: string, store: ImageStore) {
    this.dir = dir;
    this.store = store;
  }
  private file(key: string): string {
    return join(this.dir, `${key.replace(/^sha256:/, '')}.json`);
  }
  async get(key: string): Promise<CachedLayer | undefined> {
    const text = await readFile(this.file(key), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const e = JSON.parse(text) as Entry;
      const layer = await this.store.findLayer(e.diffId, e.descriptor);
      return layer ? { layer, created: e.created } : undefined;
    } catch {
      return undefined; // a torn entry is a miss
    }
  }
  async put(key: string, layer: StoredLayer, created: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(key)}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    await writeFile(
      tmp,
      JSON.stringify({ diffId: layer.diffId, descriptor: layer.descriptor, created } satisfies Entry),
    );
    await rename(tmp, this.file(key));
  }
}
