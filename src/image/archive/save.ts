// `image save`: one tarball both Docker and podman load, laid out like recent Docker's: an OCI
// image layout (oci-layout, index.json, blobs/sha256) plus the legacy manifest.json.
import { link, mkdir, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { familiarName } from '../reference.ts';
import { MT, type Manifest } from '../manifest.ts';
import type { LocalImage } from '../types.ts';
import { readBlob, readJsonBlob } from '../store/blobs.ts';
import { blobPath, tmpName, type Layout } from '../store/layout.ts';
import { removeInsideAsync } from '../../common/remove-inside.ts';

export interface SaveItem {
  readonly image: LocalImage;
  /** The names to write for it: the ones asked for (all of the image's when asked by Id). */
  readonly names: readonly string[];
}

/** One entry per image, with the union of the names asked for. */
function byImage(items: readonly SaveItem[]): SaveItem[] {
  const m = new Map<string, SaveItem>();
  for (const it of items) {
    const prev = m.get(it.image.manifestDigest);
    m.set(it.image.manifestDigest, { image: it.image, names: [...new Set([...(prev?.names ?? []), ...it.names])] });
  }
  return [...m.values()];
}

async function stage(l: Layout, dir: string, digest: string): Promise<void> {
  const dst = join(dir, 'blobs', 'sha256', digest.slice(7));
  // A hard link costs nothing; copy when the output is on another filesystem.
  await link(blobPath(l, digest), dst).catch((e: unknown) =>
    (e as NodeJS.ErrnoException).code === 'EEXIST' ? undefined : copyFile(blobPath(l, digest), dst),
  );
}

export async function saveArchive(l: Layout, items: readonly SaveItem[], out: string): Promise<void> {
  const dir = tmpName(l, 'save');
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  try {
    const index: { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }[] = [];
    const legacy: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
    for (const { image, names } of byImage(items)) {
      const mBytes = await readBlob(l, image.manifestDigest);
      const m = await readJsonBlob<Manifest>(l, image.manifestDigest);
      for (const d of [image.manifestDigest, m.config.digest, ...m.layers.map((x) => x.digest)]) await stage(l, dir, d);
      const tags = names.filter((r) => !r.includes('@'));
      const desc = { mediaType: m.mediaType ?? MT.ociManifest, digest: image.manifestDigest, size: mBytes.length };
      if (tags.length === 0) index.push(desc);
      for (const t of tags) {
        index.push({
          ...desc,
          annotations: {
            'io.containerd.image.name': t,
            'org.opencontainers.image.ref.name': t.slice(t.lastIndexOf(':') + 1),
          },
        });
      }
      const p = (d: string): string => `blobs/sha256/${d.slice(7)}`;
      legacy.push({
        Config: p(m.config.digest),
        RepoTags: tags.map(familiarName),
        Layers: m.layers.map((x) => p(x.digest)),
      });
    }
    await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(
      join(dir, 'index.json'),
      JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: index }),
    );
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(legacy));
    const tar = await import('tar'); // loaded on use: it slows every CLI start otherwise
    await tar.c({ file: out, cwd: dir, portable: true, noMtime: true }, [
      'blobs',
      'oci-layout',
      'index.json',
      'manifest.json',
    ]);
  } finally {
    await removeInsideAsync(l.tmp, dir);
  }
}
