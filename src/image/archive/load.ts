// `image load`: docker-save tarballs (manifest.json) and OCI archives (index.json), plain or
// gzip. Blobs are verified against their names, layers unpacked, references recorded.
import { rename } from 'node:fs/promises';
import { RuntimeError } from '../../common/errors.ts';
import { parseReference } from '../reference.ts';
import { MT, hostPlatform, isIndex, layerMediaType, selectPlatform, type Descriptor, type Index, type Manifest, type ConfigFile } from '../manifest.ts';
import { detectCompression } from '../unpack/decompress.ts';
import type { LocalImage } from '../types.ts';
import { hasBlob } from '../store/blobs.ts';
import { blobPath, type Layout } from '../store/layout.ts';
import { ensureLayer } from '../store/ingest.ts';
import { describe, recordImage } from '../store/images.ts';
import { withActivity } from '../store/activity.ts';
import { readArchive, type ArchiveContents, type ArchiveFile } from './read-archive.ts';

interface Found {
  readonly manifest: Buffer;
  readonly blob: (d: Descriptor) => ArchiveFile | undefined;
  readonly refs: string[];
}

const json = <T>(f: ArchiveFile | undefined, what: string): T => {
  if (!f?.bytes) throw new RuntimeError(`image load: archive has no readable ${what}`);
  return JSON.parse(f.bytes.toString('utf8')) as T;
};

function refsFrom(names: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (!n || !/[/:]/.test(n)) continue; // a bare tag ("latest") names no repository
    try {
      out.push(parseReference(n).normalized);
    } catch {
      /* not a reference: ignore, as docker load does */
    }
  }
  return [...new Set(out)];
}

function fromOci(a: ArchiveContents, repoTags: Map<string, string[]>): Found[] {
  const blobOf = (d: Descriptor): ArchiveFile | undefined => a.file(`blobs/${d.digest.replace(':', '/')}`);
  const out: Found[] = [];
  const visit = (d: Descriptor, names: string[]): void => {
    const doc = json<Index | Manifest>(blobOf(d), `blob ${d.digest}`);
    if (isIndex(doc as { mediaType?: string; manifests?: unknown })) {
      const idx = doc as Index;
      const sub = idx.manifests.length === 1 ? idx.manifests[0]! : selectPlatform(idx, hostPlatform(), 'image load');
      return visit(sub, names);
    }
    const m = doc as Manifest;
    out.push({ manifest: blobOf(d)!.bytes!, blob: blobOf, refs: [...names, ...(repoTags.get(m.config.digest) ?? [])] });
  };
  for (const d of json<Index>(a.file('index.json'), 'index.json').manifests) {
    visit(d, refsFrom([d.annotations?.['io.containerd.image.name'], d.annotations?.['org.opencontainers.image.ref.name']]));
  }
  return out;
}

type DockerEntry = { Config: string; RepoTags?: string[] | null; Layers: string[] };

function fromDocker(a: ArchiveContents): Found[] {
  return json<DockerEntry[]>(a.file('manifest.json'), 'manifest.json').map((e) => {
    const files = new Map<string, ArchiveFile>();
    const need = (name: string): ArchiveFile => {
      const f = a.file(name);
      if (!f) throw new RuntimeError(`image load: archive lacks ${name}, named in manifest.json`);
      files.set(f.digest, f);
      return f;
    };
    const cfg = need(e.Config);
    const manifest = {
      schemaVersion: 2, mediaType: MT.ociManifest,
      config: { mediaType: MT.ociConfig, digest: cfg.digest, size: cfg.size },
      layers: e.Layers.map((p) => need(p)).map((f) => ({ mediaType: layerMediaType(detectCompression(f.head)), digest: f.digest, size: f.size })),
    };
    return { manifest: Buffer.from(JSON.stringify(manifest)), blob: (d: Descriptor) => files.get(d.digest), refs: refsFrom(e.RepoTags ?? []) };
  });
}

/** Moves an archive file into the blob store after checking it is what its descriptor says. */
async function adopt(l: Layout, f: ArchiveFile | undefined, d: Descriptor): Promise<void> {
  if (await hasBlob(l, d.digest)) return;
  if (!f) throw new RuntimeError(`image load: archive lacks blob ${d.digest}`);
  if (f.digest !== d.digest) throw new RuntimeError(`image load: blob ${d.digest} is corrupt (content digest ${f.digest})`);
  await rename(f.tmp, blobPath(l, d.digest));
}

async function store(l: Layout, found: Found): Promise<LocalImage> {
  const m = JSON.parse(found.manifest.toString('utf8')) as Manifest;
  await adopt(l, found.blob(m.config), m.config);
  const cfgFile = found.blob(m.config);
  const cfg = JSON.parse((cfgFile?.bytes ?? Buffer.from('{}')).toString('utf8')) as ConfigFile;
  const diffIds = cfg.rootfs?.diff_ids ?? [];
  if (diffIds.length !== m.layers.length) throw new RuntimeError(`image load: manifest has ${m.layers.length} layers, config ${diffIds.length} diff_ids`);
  const label = found.refs[0] ?? m.config.digest;
  for (const [i, d] of m.layers.entries()) {
    await adopt(l, found.blob(d), d);
    await ensureLayer(l, { descriptor: d, diffId: diffIds[i]!, label, fetch: () => Promise.reject(new Error('blob vanished')) });
  }
  const desc = await recordImage(l, found.manifest, found.refs.length ? found.refs : []);
  if (!found.refs.length) await recordImage(l, found.manifest, [desc.digest]); // dangling marker
  return describe(l, desc.digest, found.refs);
}

export async function loadArchive(l: Layout, path: string): Promise<LocalImage[]> {
  return withActivity(l, async () => {
    const a = await readArchive(l, path);
    try {
      let found: Found[];
      if (a.file('index.json')) {
        const tags = new Map<string, string[]>();
        if (a.file('manifest.json')) for (const e of json<DockerEntry[]>(a.file('manifest.json'), 'manifest.json')) tags.set(a.file(e.Config)?.digest ?? '', refsFrom(e.RepoTags ?? []));
        found = fromOci(a, tags);
      } else if (a.file('manifest.json')) found = fromDocker(a);
      else throw new RuntimeError(`image load: ${path} is neither a docker save archive nor an OCI archive`);
      // Several index entries may name one manifest (one per tag): store each image once.
      const merged = new Map<string, Found>();
      for (const f of found) {
        const key = f.manifest.toString('utf8');
        const prev = merged.get(key);
        merged.set(key, { ...f, refs: [...new Set([...(prev?.refs ?? []), ...f.refs])] });
      }
      const images: LocalImage[] = [];
      for (const f of merged.values()) images.push(await store(l, f));
      return images;
    } finally {
      await a.cleanup();
    }
  });
}
