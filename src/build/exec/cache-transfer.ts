// cache_to / cache_from `type=local` (compose) and `--cache-to` / `--cache-from` (image build):
// the steps a build used, exported to a directory as an OCI image layout (index.json → one
// manifest whose config lists step key → layer, and whose layers are those blobs), and read back
// by a build in another state root, whose cache index then takes a missing step from it (the
// blob verified and unpacked as a pulled layer is). Every step the build used is exported,
// whatever `mode=` says (BuildKit's max).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { LayerDescriptor, StoredLayer } from '../../image/index.ts';
import { UsageError } from '../../common/errors.ts';

export const CACHE_CONFIG_TYPE = 'application/vnd.gantry.build-cache.config.v1+json';
const INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A step the cache directory offers: its layer blob is read from `file` when used. */
export interface ImportedStep {
  readonly diffId: string;
  readonly descriptor: LayerDescriptor;
  readonly created: string;
  readonly file: string;
}

interface Entry {
  readonly key: string;
  readonly diffId: string;
  readonly descriptor: LayerDescriptor;
  readonly created: string;
}

/** `type=local,src=DIR` (from) or `type=local,dest=DIR` (to) → DIR; other types are refused. */
export function localCacheDir(spec: string, dir: 'from' | 'to', base: string): string {
  const f = new Map<string, string>();
  for (const part of spec.split(',')) {
    const i = part.indexOf('=');
    f.set(i < 0 ? part : part.slice(0, i), i < 0 ? '' : part.slice(i + 1));
  }
  const type = f.get('type');
  const path = dir === 'from' ? f.get('src') : f.get('dest');
  const key = dir === 'from' ? 'src' : 'dest';
  if (type !== 'local') throw new UsageError(`--cache-${dir} ${spec}: only type=local is supported`);
  if (!path) throw new UsageError(`--cache-${dir} ${spec}: type=local needs ${key}=DIR`);
  return resolve(base, path);
}

const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const blob = (dir: string, digest: string): string => join(dir, 'blobs', 'sha256', digest.slice(7));

async function readBlob(dir: string, digest: string, what: string): Promise<Buffer> {
  if (!DIGEST.test(digest)) throw new Error(`${what}: bad digest ${digest}`);
  const b = await readFile(blob(dir, digest));
  if (sha(b) !== digest) throw new Error(`${what}: blob ${digest} is corrupt`);
  return b;
}

/** The steps a cache directory offers, by key; a missing or foreign directory offers none (with a warning). */
export async function readCacheDir(dir: string, warn: (w: string) => void): Promise<Map<string, ImportedStep>> {
  const out = new Map<string, ImportedStep>();
  try {
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests?: { digest: string }[] };
    for (const m of index.manifests ?? []) {
      const manifest = JSON.parse((await readBlob(dir, m.digest, dir)).toString()) as {
        config?: { mediaType?: string; digest: string };
      };
      if (manifest.config?.mediaType !== CACHE_CONFIG_TYPE) continue;
      const config = JSON.parse((await readBlob(dir, manifest.config.digest, dir)).toString()) as {
        entries?: Entry[];
      };
      for (const e of config.entries ?? []) {
        if (!DIGEST.test(e.key) || !DIGEST.test(e.diffId) || !DIGEST.test(e.descriptor.digest)) continue;
        out.set(e.key, { ...e, file: blob(dir, e.descriptor.digest) });
      }
    }
  } catch (e) {
    warn(`[Warning] cache from ${dir}: nothing imported: ${(e as Error).message.split('\n')[0]}`);
  }
  return out;
}

async function writeBlob(dir: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha(data);
  await writeFile(blob(dir, digest), data);
  return { digest, size: data.length };
}

/** Writes the used steps (key → layer) into `dir`; blobs already there are kept. */
export async function writeCacheDir(
  dir: string,
  used: ReadonlyMap<string, { layer: StoredLayer; created: string }>,
  blobFile: (digest: string) => Promise<string | undefined>,
): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const entries: Entry[] = [];
  const layers = new Map<string, LayerDescriptor>();
  for (const [key, { layer, created }] of used) {
    const from = await blobFile(layer.descriptor.digest);
    if (from === undefined) continue;
    const to = blob(dir, layer.descriptor.digest);
    if (!(await stat(to).catch(() => undefined))) {
      await copyFile(from, `${to}.tmp`);
      await rename(`${to}.tmp`, to);
    }
    entries.push({ key, diffId: layer.diffId, descriptor: layer.descriptor, created });
    layers.set(layer.descriptor.digest, layer.descriptor);
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : 1));
  const config = await writeBlob(dir, Buffer.from(JSON.stringify({ entries })));
  const manifest = await writeBlob(
    dir,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST_TYPE,
        config: { mediaType: CACHE_CONFIG_TYPE, ...config },
        layers: [...layers.values()],
      }),
    ),
  );
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const index = {
    schemaVersion: 2,
    mediaType: INDEX_TYPE,
    manifests: [
      { mediaType: MANIFEST_TYPE, ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } },
    ],
  };
  await writeFile(join(dir, 'index.json.tmp'), JSON.stringify(index));
  await rename(join(dir, 'index.json.tmp'), join(dir, 'index.json'));
}
