// Named build contexts (`image build --build-context NAME=VALUE`, compose
// build.additional_contexts): a local directory, or an image (`docker-image://REF`), that
// `FROM NAME`, `COPY --from=NAME` and `RUN --mount from=NAME` use as BuildKit does; a stage of
// the same name is replaced by it. A directory becomes one layer (its own .dockerignore holds,
// owner 0:0 like a COPY from the context), cached under the digest of its content, so it takes
// part in the build exactly as an image of one layer with an empty config.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ImageStore, StoredLayer } from '../../image/index.ts';
import { UsageError } from '../../common/errors.ts';
import { loadIgnorePatterns } from '../context/ignore-file.ts';
import { IgnoreMatcher } from '../context/dockerignore.ts';
import { walkContext } from '../context/walk.ts';
import { contentDigests, fileSetDigest } from '../context/content-hash.ts';
import type { StatCache } from '../context/stat-cache.ts';
import { baseKey } from '../cache/cache-key.ts';
import type { CacheIndex } from './cache-index.ts';
import { copyStep, plainCopy } from './copy-step.ts';
import { writeLayerTar } from './layer-tar.ts';

export type NamedContext =
  | { readonly kind: 'dir'; readonly path: string }
  | { readonly kind: 'image'; readonly ref: string }
  | { readonly kind: 'scratch' };

/** What a named context brings to the build: the same shape as a base image's documents. */
export interface NamedSource {
  readonly id: string;
  readonly layers: readonly StoredLayer[];
  readonly config: Record<string, unknown>;
}

const NAME = /^[a-z0-9][a-z0-9_./:@-]*$/;

/** `NAME=VALUE` values as BuildKit reads them; names are matched lower-case, as FROM and --from are. */
export function parseNamedContexts(list: ReadonlyMap<string, string>, base: string): Map<string, NamedContext> {
  const out = new Map<string, NamedContext>();
  for (const [raw, value] of list) {
    const name = raw.toLowerCase();
    const what = `build context ${raw}=${value}`;
    if (!NAME.test(name)) throw new UsageError(`${what}: the name must be a stage name or an image reference`);
    if (name === 'scratch' || name === 'context') throw new UsageError(`${what}: ${name} is a reserved name`);
    if (value.startsWith('docker-image://')) {
      const ref = value.slice('docker-image://'.length);
      if (ref === '') throw new UsageError(`${what}: docker-image:// needs an image reference`);
      out.set(name, ref === 'scratch' ? { kind: 'scratch' } : { kind: 'image', ref });
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('git@')) {
      throw new UsageError(`${what}: only local directories and docker-image:// are supported`);
    } else if (value.startsWith('target:') || value.startsWith('service:')) {
      throw new UsageError(`${what}: name a directory or docker-image://REF`);
    } else out.set(name, { kind: 'dir', path: resolve(base, value) });
  }
  return out;
}

export interface DirContextEnv {
  readonly store: ImageStore;
  readonly cache: CacheIndex;
  readonly statCache: StatCache;
  readonly scratch: string;
}

/** A directory context as one layer, made once per content (the cache index keeps it). */
export async function dirContext(env: DirContextEnv, name: string, dir: string): Promise<NamedSource> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError(`build context ${name}: ${dir} is not a directory`);
  const ignore = await loadIgnorePatterns(dir);
  const entries = await walkContext(dir, new IgnoreMatcher(ignore.patterns));
  const digests = await contentDigests(dir, entries, env.statCache);
  const key = baseKey({ kind: 'image', digest: `context:${fileSetDigest(entries, digests)}` });
  const empty = { id: key, config: { config: {} } };
  if (entries.length === 0) return { ...empty, layers: [] };
  const hit = await env.cache.get(key);
  if (hit) return { ...empty, layers: [hit.layer] };
  const layer = join(env.scratch, `context-${name.replace(/[^a-z0-9]/g, '_')}-${process.pid}`);
  await mkdir(layer);
  await chmod(layer, 0o755);
  await copyStep(layer, plainCopy('.'), { contextDir: dir, entries, stack: [], workdir: '/' });
  const blob = `${layer}.tar.gz`;
  const tar = await writeLayerTar(layer, blob, { xattrs: false }); // a plain copy sets none
  const made = await env.store.addLayer({ dir: layer, blob, diffId: tar.diffId, size: tar.size });
  await env.cache.put(key, made, new Date(0).toISOString());
  return { ...empty, layers: [made] };
}
