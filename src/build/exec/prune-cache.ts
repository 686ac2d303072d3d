// `gantry builder prune` / `image prune --build-cache`: the build cache is the step index
// (build/cache), the cache mounts (build/cache-mounts), the context stat cache, and the layers
// only the index kept alive. The index goes first, then the store drops every layer no image
// uses; the next build of the same Dockerfile runs every step again.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageStore } from '../../image/index.ts';
import { removeInsideAsync } from '../../common/remove-inside.ts';

export interface PruneResult {
  readonly entries: number;
  readonly cacheMounts: number;
  readonly bytes: number;
}

async function sizeOf(path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of await readdir(path)) n += await sizeOf(join(path, e));
  return n;
}

export async function pruneBuildCache(stateRoot: string, store: ImageStore): Promise<PruneResult> {
  const root = join(stateRoot, 'build');
  let bytes = 0;
  let entries = 0;
  const cache = join(root, 'cache');
  for (const n of await readdir(cache).catch(() => [] as string[])) {
    await removeInsideAsync(cache, join(cache, n));
    entries++;
  }
  const mounts = join(root, 'cache-mounts');
  const names = await readdir(mounts).catch(() => [] as string[]);
  for (const n of names) {
    bytes += await sizeOf(join(mounts, n));
    await removeInsideAsync(mounts, join(mounts, n));
  }
  await removeInsideAsync(root, join(root, 'stat-cache.json'));
  bytes += (await store.prune()).bytes;
  return { entries, cacheMounts: names.length, bytes };
}
