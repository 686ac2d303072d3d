// Local images as the store knows them: a reference → platform manifest → config + layers.
// Looks images up by reference, Id or Id prefix, and records newly stored manifests.
import { UsageError } from '../../common/errors.ts';
import { parseReference } from '../reference.ts';
import { toImageConfig } from '../image-config.ts';
import type { ConfigFile, Descriptor, Manifest } from '../manifest.ts';
import { MT } from '../manifest.ts';
import type { LocalImage } from '../types.ts';
import { putBlob, readBlob, readJsonBlob } from './blobs.ts';
import { layerDir, type Layout } from './layout.ts';
import { layerSize } from './layers.ts';
import { readRefs, setRef, type RefEntry } from './refs.ts';

export async function describe(l: Layout, manifestDigest: string, refs: readonly string[]): Promise<LocalImage> {
  const m = await readJsonBlob<Manifest>(l, manifestDigest);
  const c = await readJsonBlob<ConfigFile>(l, m.config.digest);
  const diffIds = c.rootfs?.diff_ids ?? [];
  const sizes = await Promise.all(diffIds.map((d) => layerSize(l, d)));
  return {
    id: m.config.digest,
    references: [...refs].sort(),
    layers: diffIds.map((d) => layerDir(l, d)),
    config: toImageConfig(c.config),
    os: c.os ?? 'linux',
    architecture: c.architecture ?? 'amd64',
    ...(c.variant ? { variant: c.variant } : {}),
    ...(c.created ? { created: c.created } : {}),
    size: sizes.reduce((a, b) => a + b, 0),
    manifestDigest,
  };
}

/** Every image, one per Id, with all the references that point at it (`known`: the refs, already read). */
export async function listImages(l: Layout, known?: readonly RefEntry[]): Promise<LocalImage[]> {
  const refs = known ?? (await readRefs(l));
  const byManifest = new Map<string, string[]>();
  for (const r of refs) byManifest.set(r.manifest.digest, [...(byManifest.get(r.manifest.digest) ?? []), r.ref]);
  // A ref that is a bare digest marks an untagged (dangling) image: kept, but not a name.
  const images = await Promise.all(
    [...byManifest].map(([digest, names]) =>
      describe(
        l,
        digest,
        names.filter((n) => !n.startsWith('sha256:')),
      ),
    ),
  );
  const byId = new Map<string, LocalImage>();
  for (const img of images) {
    const prev = byId.get(img.id);
    byId.set(img.id, prev ? { ...prev, references: [...prev.references, ...img.references].sort() } : img);
  }
  return [...byId.values()];
}

const ID_LIKE = /^(?:sha256:)?[0-9a-f]{4,64}$/;

/** The ref entries naming ref: by normalized reference first, then by Id or unique Id prefix. */
export async function findEntries(l: Layout, ref: string): Promise<{ image: LocalImage; byId: boolean } | undefined> {
  let normalized: string | undefined;
  try {
    normalized = parseReference(ref).normalized;
  } catch (err) {
    if (!ID_LIKE.test(ref)) throw err;
  }
  const refs = await readRefs(l);
  const hit = normalized === undefined ? undefined : refs.find((r) => r.ref === normalized);
  if (hit) {
    const all = await listImages(l, refs); // index.json once: it was read twice per lookup (every run)
    return { image: all.find((i) => i.references.includes(hit.ref))!, byId: false };
  }
  if (!ID_LIKE.test(ref)) return undefined;
  const prefix = ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
  const matches = (await listImages(l, refs)).filter((i) => i.id.startsWith(prefix));
  if (matches.length > 1) throw new UsageError(`image id prefix "${ref}" is ambiguous (${matches.length} images)`);
  return matches[0] ? { image: matches[0], byId: true } : undefined;
}

export async function manifestDescriptor(l: Layout, digest: string): Promise<Descriptor> {
  const bytes = await readBlob(l, digest);
  const mediaType = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? MT.ociManifest;
  return { mediaType, digest, size: bytes.length };
}

/** Stores a manifest and points refs at it. */
export async function recordImage(l: Layout, manifest: Buffer, refs: readonly string[]): Promise<Descriptor> {
  const digest = await putBlob(l, manifest);
  const mediaType = (JSON.parse(manifest.toString('utf8')) as { mediaType?: string }).mediaType ?? MT.ociManifest;
  const desc: Descriptor = { mediaType, digest, size: manifest.length };
  for (const r of refs) await setRef(l, r, desc);
  return desc;
}

export type { RefEntry };
