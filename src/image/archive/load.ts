// `image load`: docker-save tarballs (manifest.json) and OCI archives (index.json), plain or
// gzip. Blobs are verified against their names, layers unpacked, references recorded.
import { createReadStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { GantryError, RuntimeError } from '../../common/errors.ts';
import { parseReference } from '../reference.ts';
import {
  MT,
  hostPlatform,
  isIndex,
  layerMediaType,
  selectPlatform,
  type Descriptor,
  type Index,
  type Manifest,
} from '../manifest.ts';
import { detectCompression } from '../unpack/decompress.ts';
import type { ArchiveSource, LocalImage } from '../types.ts';
import { hasBlob, readBlob } from '../store/blobs.ts';
import { blobPath, type Layout } from '../store/layout.ts';
import { ensureLayer } from '../store/ingest.ts';
import { describe, recordImage } from '../store/images.ts';
import { withActivity } from '../store/activity.ts';
import { readArchive, type ArchiveContents, type ArchiveFile } from './read-archive.ts';
import { asConfig, asDescriptor, asIndexOrManifest, asManifest, parseJson } from '../manifest-shape.ts';

interface Found {
  readonly manifest: Buffer;
  readonly blob: (d: Descriptor) => ArchiveFile | undefined;
  readonly refs: string[];
}

const json = (f: ArchiveFile | undefined, what: string): unknown => {
  if (!f?.bytes) throw new RuntimeError(`image load: archive has no readable ${what}`);
  return parseJson(f.bytes, `image load: ${what}`);
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
  const visit = (d: Descriptor, names: string[], depth: number): void => {
    if (depth > 4) throw new RuntimeError('image load: image indexes nested more than 4 deep');
    const f = blobOf(d);
    // Indexes and manifests are content-addressed too: what the index names is what gets used.
    if (f && f.digest !== d.digest) {
      throw new RuntimeError(`image load: blob ${d.digest} is corrupt (content digest ${f.digest})`);
    }
    const doc = asIndexOrManifest(json(blobOf(d), `blob ${d.digest}`), `image load: blob ${d.digest}`);
    if (isIndex(doc as { mediaType?: string; manifests?: unknown })) {
      const idx = doc as Index;
      const sub = idx.manifests.length === 1 ? idx.manifests[0]! : selectPlatform(idx, hostPlatform(), 'image load');
      return visit(sub, names, depth + 1);
    }
    const m = doc as Manifest;
    out.push({ manifest: blobOf(d)!.bytes!, blob: blobOf, refs: [...names, ...(repoTags.get(m.config.digest) ?? [])] });
  };
  const index = asIndexOrManifest(json(a.file('index.json'), 'index.json'), 'image load: index.json');
  if (!isIndex(index as { mediaType?: string; manifests?: unknown }))
    throw new RuntimeError('image load: index.json is not an image index');
  for (const d of (index as Index).manifests) {
    visit(
      d,
      refsFrom([d.annotations?.['io.containerd.image.name'], d.annotations?.['org.opencontainers.image.ref.name']]),
      0,
    );
  }
  return out;
}

type DockerEntry = { Config: string; RepoTags?: string[] | null; Layers: string[] };

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function dockerEntries(a: ArchiveContents): DockerEntry[] {
  const doc = json(a.file('manifest.json'), 'manifest.json');
  if (!Array.isArray(doc)) throw new RuntimeError('image load: manifest.json: must be a list of images');
  return doc.map((e: unknown, i) => {
    const where = `image load: manifest.json[${i}]`;
    if (typeof e !== 'object' || e === null)
      throw new RuntimeError(`${where}: must be a mapping with Config and Layers`);
    const { Config, RepoTags, Layers } = e as Record<string, unknown>;
    if (typeof Config !== 'string') throw new RuntimeError(`${where}.Config: must be a file name`);
    if (!strings(Layers)) throw new RuntimeError(`${where}.Layers: must be a list of file names`);
    if (RepoTags !== undefined && RepoTags !== null && !strings(RepoTags))
      throw new RuntimeError(`${where}.RepoTags: must be a list of names`);
    return { Config, RepoTags: RepoTags ?? null, Layers };
  });
}

function fromDocker(a: ArchiveContents): Found[] {
  return dockerEntries(a).map((e) => {
    const files = new Map<string, ArchiveFile>();
    const need = (name: string): ArchiveFile => {
      const f = a.file(name);
      if (!f) throw new RuntimeError(`image load: archive lacks ${name}, named in manifest.json`);
      files.set(f.digest, f);
      return f;
    };
    const cfg = need(e.Config);
    const manifest = {
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      config: { mediaType: MT.ociConfig, digest: cfg.digest, size: cfg.size },
      layers: e.Layers.map((p) => need(p)).map((f) => ({
        mediaType: layerMediaType(detectCompression(f.head)),
        digest: f.digest,
        size: f.size,
      })),
    };
    return {
      manifest: Buffer.from(JSON.stringify(manifest)),
      blob: (d: Descriptor) => files.get(d.digest),
      refs: refsFrom(e.RepoTags ?? []),
    };
  });
}

/** What a verified image needs stored: every check done, nothing written yet. */
interface Checked {
  readonly found: Found;
  readonly config: { readonly file: ArchiveFile | undefined; readonly d: Descriptor };
  readonly layers: readonly {
    readonly file: ArchiveFile | undefined;
    readonly d: Descriptor;
    readonly diffId: string;
  }[];
}

/** The archive file for `d`, checked to be what the descriptor says (absent: the store has it). */
async function member(l: Layout, found: Found, d: Descriptor): Promise<ArchiveFile | undefined> {
  const f = found.blob(d);
  if (await hasBlob(l, d.digest)) return f;
  if (!f) throw new RuntimeError(`image load: archive lacks blob ${d.digest}`);
  if (f.digest !== d.digest)
    throw new RuntimeError(`image load: blob ${d.digest} is corrupt (content digest ${f.digest})`);
  if (f.size !== d.size)
    throw new RuntimeError(`image load: blob ${d.digest} has ${f.size} bytes, the manifest says ${d.size}`);
  return f;
}

// Every image of the archive is checked before anything is stored, so a bad archive leaves the
// store exactly as it was (a layer that fails to unpack leaves nothing either: ensureLayer).
async function check(l: Layout, found: Found): Promise<Checked> {
  const m = asManifest(parseJson(found.manifest, 'image load: manifest'), 'image load: manifest');
  const config = { file: await member(l, found, asDescriptor(m.config, 'image load: manifest.config')), d: m.config };
  const bytes = config.file ? config.file.bytes : await readBlob(l, m.config.digest);
  if (!bytes) throw new RuntimeError(`image load: config ${m.config.digest} is too large`);
  const cfg = asConfig(
    parseJson(bytes, `image load: config ${m.config.digest}`),
    `image load: config ${m.config.digest}`,
  );
  const diffIds = cfg.rootfs?.diff_ids ?? [];
  if (diffIds.length !== m.layers.length)
    throw new RuntimeError(`image load: manifest has ${m.layers.length} layers, config ${diffIds.length} diff_ids`);
  const layers = [];
  for (const [i, d] of m.layers.entries()) layers.push({ file: await member(l, found, d), d, diffId: diffIds[i]! });
  return { found, config, layers };
}

async function store(l: Layout, c: Checked): Promise<LocalImage> {
  const label = c.found.refs[0] ?? c.config.d.digest;
  for (const { file, d, diffId } of c.layers) {
    // From the archive's temp file: the blob enters the store only once unpacked and verified.
    const fetch = async (): Promise<AsyncIterable<Buffer>> =>
      file ? createReadStream(file.tmp) : Promise.reject(new Error('blob vanished'));
    await ensureLayer(l, { descriptor: d, diffId, label, fetch });
  }
  if (c.config.file && !(await hasBlob(l, c.config.d.digest)))
    await rename(c.config.file.tmp, blobPath(l, c.config.d.digest));
  const desc = await recordImage(l, c.found.manifest, c.found.refs.length ? c.found.refs : []);
  if (!c.found.refs.length) await recordImage(l, c.found.manifest, [desc.digest]); // dangling marker
  return describe(l, desc.digest, c.found.refs);
}

// A truncated tar, a bad gzip stream or a missing file: the archive, not gantry, is at fault.
function unreadable(path: string, err: unknown): unknown {
  if (err instanceof GantryError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES')
    return new RuntimeError(`image load: cannot read ${path} (${code})`, { cause: err });
  return new RuntimeError(
    `image load: ${path} is not a readable image archive: ${err instanceof Error ? err.message : String(err)}`,
    { cause: err },
  );
}

export async function loadArchive(l: Layout, source: ArchiveSource): Promise<LocalImage[]> {
  const path = typeof source === 'string' ? source : source.name;
  return withActivity(l, async () => {
    const a = await readArchive(l, source).catch((err: unknown) => Promise.reject(unreadable(path, err)));
    try {
      let found: Found[];
      if (a.file('index.json')) {
        const tags = new Map<string, string[]>();
        if (a.file('manifest.json'))
          for (const e of dockerEntries(a)) tags.set(a.file(e.Config)?.digest ?? '', refsFrom(e.RepoTags ?? []));
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
      const checked: Checked[] = [];
      for (const f of merged.values()) checked.push(await check(l, f));
      const images: LocalImage[] = [];
      for (const c of checked) images.push(await store(l, c));
      return images;
    } finally {
      await a.cleanup();
    }
  });
}
