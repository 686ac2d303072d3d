// The build cache's index: step cache key → the layer it produced (diff_id, blob descriptor,
// when it was made). One small JSON file per key under the state root's build/cache; an entry
// whose layer the store no longer holds (pruned) is a miss, never an error. A key missing here
// is taken from an imported cache directory (cache_from) when that offers it. Every key a build
// hits or makes is remembered, for cache_to.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageStore, LayerDescriptor, StoredLayer } from '../../image/index.ts';
import type { ImportedStep } from './cache-transfer.ts';

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
  private readonly imported: ReadonlyMap<string, ImportedStep>;
  /** The keys this build used (hit or made), for cache_to. */
  readonly used = new Map<string, CachedLayer>();
  constructor(dir: string, store: ImageStore, imported: ReadonlyMap<string, ImportedStep> = new Map()) {
    this.dir = dir;
    this.store = store;
    this.imported = imported;
  }
  private file(key: string): string {
    return join(this.dir, `${key.replace(/^sha256:/, '')}.json`);
  }
  async get(key: string): Promise<CachedLayer | undefined> {
    const hit = (await this.local(key)) ?? (await this.fromImport(key));
    if (hit) this.used.set(key, hit);
    return hit;
  }
  private async local(key: string): Promise<CachedLayer | undefined> {
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
  private async fromImport(key: string): Promise<CachedLayer | undefined> {
    const s = this.imported.get(key);
    if (!s) return undefined;
    const layer = await this.store.importLayer(s.file, s.diffId, s.descriptor).catch(() => undefined);
    if (!layer) return undefined; // a missing or corrupt blob is a miss: the step runs
    await this.put(key, layer, s.created);
    return { layer, created: s.created };
  }
  async put(key: string, layer: StoredLayer, created: string): Promise<void> {
    this.used.set(key, { layer, created });
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(key)}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
    await writeFile(
      tmp,
      JSON.stringify({ diffId: layer.diffId, descriptor: layer.descriptor, created } satisfies Entry),
    );
    await rename(tmp, this.file(key));
  }
}
